"""Word count, the integration tests' PySpark job: ``wordcount.py <input prefix> <output prefix>``.

Reads every text file under the input prefix, counts words (lower case, split on whitespace) and writes
``word,count`` CSV under the output prefix (overwriting it), then prints the ten most frequent words to stdout.
"""

import sys
from operator import add

from pyspark.sql import SparkSession


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    spark = SparkSession.builder.appName("emr-constructs-integ-wordcount").getOrCreate()
    lines = spark.read.text(source).rdd.map(lambda row: row.value)
    counts = lines.flatMap(lambda line: line.lower().split()).map(lambda word: (word, 1)).reduceByKey(add)
    frame = spark.createDataFrame(counts, ["word", "count"])
    frame.coalesce(1).write.mode("overwrite").csv(target, header=True)
    for row in frame.orderBy("count", ascending=False).take(10):
        print(f"{row['word']}\t{row['count']}")
    spark.stop()


if __name__ == "__main__":
    main()
