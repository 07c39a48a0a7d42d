"""Cross-prop rules of ``EmrCluster`` that depend on the release and the capacity."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration

from emr_constructs._internal.validation import check_range, fail, is_token
from emr_constructs.cluster.applications import Application
from emr_constructs.cluster.security_configuration import EmrSecurityConfiguration
from emr_constructs.releases import AUTO_TERMINATION, SPARK_ONLY_LINE_APPLICATIONS, ReleaseLabel

DEFAULT_IDLE_TIMEOUT = Duration.hours(1)
IDLE_TIMEOUT_SECONDS = (60, 7 * 24 * 3600)


def validate_applications(release: ReleaseLabel, applications: Sequence[Application]) -> None:
    """Raise ``ValueError`` for an unknown application, or one a Spark-only release line does not ship."""
    for app in applications:
        Application.of(app.name)
        if release.is_spark_only and app.name not in SPARK_ONLY_LINE_APPLICATIONS:
            raise fail(
                "applications",
                app.name,
                f"the Spark-only {release.label} ships only {', '.join(sorted(SPARK_ONLY_LINE_APPLICATIONS))}",
            )


def check_multi_primary(
    multi_primary: bool,
    idle_timeout: Duration | None,
    termination_protection: bool | None,
    security_configuration: EmrSecurityConfiguration | None,
) -> None:
    """Raise ``ValueError`` for settings EMR rejects or ignores on a cluster with three primary nodes."""
    if not multi_primary:
        return
    if termination_protection is False:
        raise fail("termination_protection", False, "EMR forces termination protection on for three primary nodes")
    if idle_timeout is not None:
        raise fail(
            "idle_timeout",
            idle_timeout.to_human_string(),
            "EMR ignores auto-termination for three primary nodes; leave idle_timeout unset",
        )
    kerberos = security_configuration.kerberos if security_configuration else None
    if kerberos is not None and kerberos.cluster_dedicated:
        raise fail(
            "security_configuration.kerberos",
            "cluster-dedicated KDC",
            "three primary nodes need an external KDC (set external_kdc_server)",
        )


def idle_timeout_seconds(
    release: ReleaseLabel, idle_timeout: Duration | None, multi_primary: bool, transient: bool
) -> int | None:
    """The idle auto-termination timeout in seconds, or ``None`` where EMR must not get one (three primary nodes, a
    transient cluster, a release without auto-termination). Default: ``DEFAULT_IDLE_TIMEOUT``."""
    if multi_primary or transient:
        return None
    if idle_timeout is None:
        return int(DEFAULT_IDLE_TIMEOUT.to_seconds()) if release.supports(AUTO_TERMINATION) else None
    seconds = idle_timeout.to_seconds(integral=False)
    if not is_token(seconds):
        check_range("idle_timeout (seconds)", seconds, *IDLE_TIMEOUT_SECONDS)
        if seconds != int(seconds):
            raise fail("idle_timeout", idle_timeout.to_human_string(), "must be a whole number of seconds")
    release.require(AUTO_TERMINATION, "idle_timeout", idle_timeout.to_human_string())
    return int(seconds)
