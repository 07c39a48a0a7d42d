"""Runtime configuration classifications of an EMR Serverless application, with one-line options.

See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/default-configs.html
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_emrserverless as emrs

from emr_constructs.cluster.applications import (
    GLUE_CATALOG_FACTORY,
    Classification,
    Configuration,
    merge_configurations,
)
from emr_constructs.serverless.workers import ApplicationType

ICEBERG_RUNTIME_JAR = "/usr/share/aws/iceberg/lib/iceberg-spark3-runtime.jar"


def glue_catalog(application_type: ApplicationType) -> list[Configuration]:
    """Use the AWS Glue Data Catalog as the metastore (the EMR Serverless default, made explicit)."""
    if application_type is ApplicationType.HIVE:
        return [Configuration(Classification.HIVE_SITE, {"hive.metastore.client.factory.class": GLUE_CATALOG_FACTORY})]
    return [
        Configuration(
            Classification.SPARK_DEFAULTS,
            {"spark.hadoop.hive.metastore.client.factory.class": GLUE_CATALOG_FACTORY},
        )
    ]


def iceberg() -> list[Configuration]:
    """Apache Iceberg for Spark: the runtime JAR, the SQL extensions and a ``glue_catalog`` backed by Glue.

    See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-iceberg.html
    """
    return [
        Configuration(
            Classification.SPARK_DEFAULTS,
            {
                "spark.jars": ICEBERG_RUNTIME_JAR,
                "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
                "spark.sql.catalog.glue_catalog": "org.apache.iceberg.spark.SparkCatalog",
                "spark.sql.catalog.glue_catalog.catalog-impl": "org.apache.iceberg.aws.glue.GlueCatalog",
            },
        )
    ]


def _render(conf: Configuration) -> emrs.CfnApplication.ConfigurationObjectProperty:
    return emrs.CfnApplication.ConfigurationObjectProperty(
        classification=conf.classification,
        properties=dict(conf.properties) or None,
        configurations=[_render(c) for c in conf.configurations] or None,
    )


def render_configurations(
    configurations: Sequence[Configuration],
) -> list[emrs.CfnApplication.ConfigurationObjectProperty]:
    """Merge same-classification entries, then render them for ``CfnApplication.runtime_configuration``."""
    return [_render(c) for c in merge_configurations(configurations)]
