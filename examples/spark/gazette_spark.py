"""Run gazette over a JSONL corpus on Apache Spark: each partition's lines are piped
through `gazette extract --format jsonl` (rdd.pipe), so every executor runs the fast
native binary and Spark only moves lines.

    pip install pyspark            # Java 17 must be on the machine
    cargo build --release
    python3 examples/spark/gazette_spark.py INPUT.jsonl OUTPUT_DIR [--partitions N] [--master local[2]]

INPUT lines are {"id", "text", "date"?}; OUTPUT_DIR gets Spark's part files, one result
line per input line ({"id", ...} or {"id", "error"}). The binary must exist at the same
path on every executor (here: local mode) or be shipped with --files.
"""
import argparse
import json
import os
import sys
import time

from pyspark.sql import SparkSession


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--partitions", type=int, default=0, help="default: 4 per core")
    ap.add_argument("--master", default="local[*]")
    ap.add_argument("--bin", default=os.path.abspath("target/release/gazette"))
    a = ap.parse_args()
    if not os.access(a.bin, os.X_OK):
        sys.exit(f"{a.bin} not found: run `cargo build --release` first")
    spark = (SparkSession.builder.master(a.master).appName("gazette")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    parts = a.partitions or 4 * sc.defaultParallelism
    lines = sc.textFile(a.input, minPartitions=parts)
    # One gazette process per partition, one thread each: Spark provides the parallelism.
    out = lines.pipe(f"{a.bin} extract --format jsonl --threads 1 --quiet")
    t = time.time()
    out.saveAsTextFile(a.output)
    secs = time.time() - t
    # MB/s of article text (the "text" fields), not of JSONL.
    mb = lines.map(lambda l: len(json.loads(l).get("text", "").encode("utf-8"))).sum() / 1e6
    print(f"{lines.count()} documents, {mb:.1f} MB of article text in {secs:.1f} s: {mb / secs:.2f} MB/s "
          f"({sc.defaultParallelism} cores, {parts} partitions)")
    spark.stop()


if __name__ == "__main__":
    main()
