"""The default spaCy pipeline (models/build.py); data only."""
