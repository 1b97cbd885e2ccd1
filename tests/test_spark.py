"""The Spark recipe in docs/scale.md, run as written: mapInPandas over a table of paths.

The code block is taken from the document itself, so the recipe users copy is the one tested.
Skips (with the reason) where pyspark, pandas/pyarrow or a Java runtime are missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

import redactguard
from redactguard.run import SerialExecutor

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "fixtures" / "sample-case"


def _recipe() -> str:
    text = (REPO / "docs" / "scale.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- spark-recipe -->\s*```python\n(.*?)```", text, re.S)
    assert found, "docs/scale.md lost its Spark recipe block"
    return found.group(1)


def test_the_recipe_block_is_in_the_docs() -> None:
    assert "mapInPandas" in _recipe()


@pytest.fixture(scope="module")
def spark() -> Any:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark pandas pyarrow)")
    pytest.importorskip("pandas", reason="pandas is not installed (pyspark's mapInPandas needs it)")
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (pyspark's mapInPandas needs it)")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH: Spark needs one (Java 17+)")
    from pyspark.sql import SparkSession

    # Spark's Python workers run this interpreter (with redactguard), not whatever python3 is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[2]").appName("redactguard-recipe")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_the_spark_recipe_gives_the_local_results(spark: Any, tmp_path: Path) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(_recipe(), "docs/scale.md", "exec"), namespace)
    order = redactguard.load_order(SAMPLE / "order.yaml")
    paths = [str(SAMPLE / "bundle"), str(REPO / "fixtures" / "files" / "simple.docx"), str(tmp_path / "missing.pdf")]

    scanner = redactguard.Scanner(order, "respondent", redactguard.ScanOptions(model=None))
    table = spark.createDataFrame([(p,) for p in paths], "path string").repartition(2)
    rows = table.mapInPandas(namespace["scan_partitions"](scanner), namespace["RESULT_SCHEMA"]).collect()

    local = redactguard.scan(paths[:2], order, "respondent", model=None, executor=SerialExecutor())
    by_path = {row["path"]: row for row in rows}
    assert set(by_path) == {d.path for d in local.documents} | {paths[2]}
    for doc in local.documents:
        assert by_path[doc.path]["status"] == doc.status
        assert json.loads(by_path[doc.path]["result"]) == doc.to_dict()
    missing = by_path[paths[2]]
    assert missing["status"] == "unreadable" and missing["problems"] == "read_error"
