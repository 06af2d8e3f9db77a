"""Runs trackplan's generated Spark SQL in a local Spark (pyspark).

Arguments: TABLE=NDJSON_FILE=SQL_FILE, one per job. Each NDJSON file is
loaded as a view TABLE with a text column `record` (the `record` layout)
and a column `line` in file order (the query's order column); the query in SQL_FILE is run on it. Prints one JSON object per
result row, with the job's index, for tests/sql.rs to compare with
`trackplan check`.
"""

import json
import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql.functions import monotonically_increasing_id


def main(jobs):
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("trackplan-sql-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for index, job in enumerate(jobs):
        table, ndjson, sql_file = job.split("=", 2)
        lines = spark.read.text(ndjson).withColumnRenamed("value", "record")
        lines.withColumn("line", monotonically_increasing_id()).createOrReplaceTempView(table)
        with open(sql_file, encoding="utf-8") as f:
            query = f.read()
        for row in spark.sql(query).collect():
            out = row.asDict()
            out["job"] = index
            print(json.dumps(out, default=str), flush=True)
    spark.stop()


if __name__ == "__main__":
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    main(sys.argv[1:])
