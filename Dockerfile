# redactguard as a service: `docker build -t redactguard .` then
#   docker run -p 8080:8080 -e REDACTGUARD_TOKEN=... redactguard
# Debian slim, the system packages of tools/install-system-packages.sh (Tesseract with eng, cym
# and osd, poppler, LibreOffice Writer), and the wheel built from this checkout, which carries
# the default spaCy pipeline: nothing is downloaded when it runs. See docs/deploy.md.

FROM python:3.11-slim-bookworm AS wheel
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY redactguard redactguard
COPY models/redactguard_en models/redactguard_en
RUN python -m pip wheel --no-cache-dir --no-deps -w /dist .

FROM python:3.11-slim-bookworm
COPY tools/install-system-packages.sh /tmp/
RUN bash /tmp/install-system-packages.sh && rm -rf /var/lib/apt/lists/* /tmp/install-system-packages.sh
COPY --from=wheel /dist /tmp/dist
RUN python -m pip install --no-cache-dir /tmp/dist/redactguard-*.whl && rm -rf /tmp/dist
RUN useradd --system --create-home --uid 10001 redactguard
USER redactguard
WORKDIR /home/redactguard
ENV PYTHONUNBUFFERED=1
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
# A bearer token is required off loopback: REDACTGUARD_TOKEN, or --token-file on a mounted secret.
CMD ["redactguard", "serve", "--host", "0.0.0.0", "--port", "8080"]
