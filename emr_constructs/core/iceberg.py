"""The Apache Iceberg Spark catalog settings that every runtime renders the same way.

Pure Python (no aws_cdk): the EMR on EC2 configuration, the EMR Serverless runtime configuration and the EMR on EKS
configuration overrides all take their catalog properties from :func:`iceberg_catalog_properties`, so a job sees the
same ``glue_catalog`` on every runtime.

See: https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-iceberg-use-spark-cluster.html,
https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-iceberg.html,
https://iceberg.apache.org/docs/latest/aws/
"""

from __future__ import annotations

import re

from emr_constructs.core.tokens import contains_unresolved
from emr_constructs.core.validation import check_s3_uri, fail

DEFAULT_ICEBERG_CATALOG = "glue_catalog"
ICEBERG_EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"
ICEBERG_SPARK_CATALOG = "org.apache.iceberg.spark.SparkCatalog"
ICEBERG_GLUE_CATALOG_IMPL = "org.apache.iceberg.aws.glue.GlueCatalog"
ICEBERG_S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO"
ICEBERG_RUNTIME_JAR_PATH = "/usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar"
"""Where EMR Serverless and EMR on EKS images ship the Iceberg runtime; EMR on EC2 puts it on the classpath itself
when the ``iceberg-defaults`` classification sets ``iceberg.enabled``."""
CATALOG_NAME_PATTERN = r"[a-z_][a-z0-9_]{0,63}"


def iceberg_catalog_properties(
    warehouse: str | None = None, *, catalog: str = DEFAULT_ICEBERG_CATALOG
) -> dict[str, str]:
    """Spark properties of an Iceberg catalog named ``catalog`` backed by the Glue Data Catalog, with S3FileIO and the
    Iceberg SQL extensions.

    :param warehouse: ``s3://`` prefix under which tables without an explicit location are created. Default: none
        (each table then needs a location, or its Glue database a location URI).
    :param catalog: the Spark catalog name (``glue_catalog.db.table`` in SQL). Default: ``glue_catalog``.
    """
    check_iceberg_catalog("catalog", catalog)
    if warehouse is not None and not contains_unresolved(warehouse):  # a bucket made in the app is a token
        check_s3_uri("warehouse", warehouse)
    prefix = f"spark.sql.catalog.{catalog}"
    props = {
        "spark.sql.extensions": ICEBERG_EXTENSIONS,
        prefix: ICEBERG_SPARK_CATALOG,
        f"{prefix}.catalog-impl": ICEBERG_GLUE_CATALOG_IMPL,
        f"{prefix}.io-impl": ICEBERG_S3_FILE_IO,
    }
    if warehouse is not None:
        props[f"{prefix}.warehouse"] = warehouse
    return props


def check_iceberg_catalog(prop: str, catalog: str) -> None:
    """A Spark catalog identifier: lowercase letters, digits and ``_``, not starting with a digit."""
    if not isinstance(catalog, str) or contains_unresolved(catalog) or not re.fullmatch(CATALOG_NAME_PATTERN, catalog):
        raise fail(prop, catalog, "must be 1-64 lowercase letters, digits or '_', not starting with a digit")
