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
from emr_constructs.core.iceberg import DEFAULT_ICEBERG_CATALOG, ICEBERG_RUNTIME_JAR_PATH, iceberg_catalog_properties
from emr_constructs.core.releases import ReleaseFloor
from emr_constructs.releases import ReleaseLabel
from emr_constructs.serverless.workers import ApplicationType

ICEBERG_RUNTIME_JAR = ICEBERG_RUNTIME_JAR_PATH
SERVERLESS_LAKE_FORMATION_CONF = "spark.emr-serverless.lakeformation.enabled"
SERVERLESS_LAKE_FORMATION = ReleaseFloor("EMR Serverless with Lake Formation fine-grained access control", {7: "7.2.0"})
"""See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/emr-serverless-lf-enable.html"""


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


def iceberg(warehouse: str | None = None, *, catalog: str = DEFAULT_ICEBERG_CATALOG) -> list[Configuration]:
    """Apache Iceberg for Spark: the runtime JAR and the same Glue-backed catalog settings as EMR on EC2's
    ``iceberg_configurations()`` (SQL extensions, ``glue_catalog`` with GlueCatalog and S3FileIO, ``warehouse``).

    :param warehouse: ``s3://`` prefix for tables created without a location. Default: none.
    :param catalog: Default: ``glue_catalog``.
    See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/using-iceberg.html
    """
    props = {"spark.jars": ICEBERG_RUNTIME_JAR, **iceberg_catalog_properties(warehouse, catalog=catalog)}
    return [Configuration(Classification.SPARK_DEFAULTS, props)]


def lake_formation_fine_grained_access(release_label: ReleaseLabel | None = None) -> list[Configuration]:
    """Lake Formation fine-grained access control for the application's Spark jobs
    (``spark.emr-serverless.lakeformation.enabled``, emr-7.2.0 and later): a system driver enforces the table, column,
    row and cell permissions of the job's runtime role. Grant those with ``LakeFormationPermissions``; the role also
    needs ``lakeformation:GetDataAccess`` (``LakeFormationPermissions`` adds it).

    :param release_label: the application's release, checked against emr-7.2.0. Default: not checked.
    See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/emr-serverless-lf-enable.html
    """
    if release_label is not None:
        release_label.require(SERVERLESS_LAKE_FORMATION, "release_label", release_label.label)
    return [Configuration(Classification.SPARK_DEFAULTS, {SERVERLESS_LAKE_FORMATION_CONF: "true"})]


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
