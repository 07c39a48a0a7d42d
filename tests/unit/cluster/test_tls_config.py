"""The ``ec2.tls_certificate_*`` keys of cdk.json: validated with errors that name the key path.

The generated certificate zip holds the cluster's TLS private key, so its key must lie outside every data bucket
prefix that the EC2 job runtime role reads (issue 8: the runtime role must not read the TLS certificate prefix).
"""

from __future__ import annotations

import pytest

from stacks.config import EC2_JOB_DATA_PREFIXES, ConfigError, load_config
from stacks.emr_ec2_stack import DATA_PREFIXES
from tests.conftest import cdk_context


def _load(ec2: dict) -> object:
    return load_config(cdk_context(env="t", environments={"t": {"ec2": ec2}}))[1]


def test_the_default_certificate_key_is_outside_the_job_data_prefixes() -> None:
    config = _load({})
    assert config.ec2.tls_certificate_key == "tls/emr-certificates.zip"  # type: ignore[attr-defined]
    assert config.ec2.tls_certificate_validity_days == 730  # type: ignore[attr-defined]
    assert config.ec2.tls_certificate_s3_uri is None  # type: ignore[attr-defined]
    assert not config.ec2.tls_certificate_key.startswith(tuple(DATA_PREFIXES.values()))  # type: ignore[attr-defined]


def test_the_config_knows_every_prefix_the_stack_gives_the_runtime_role() -> None:
    assert set(EC2_JOB_DATA_PREFIXES) == set(DATA_PREFIXES.values())


@pytest.mark.parametrize(
    ("ec2", "message"),
    [
        (
            {"tls_certificate_key": "artifacts/tls/emr-certificates.zip"},
            r"environments\.t\.ec2\.tls_certificate_key: Value error, got 'artifacts/tls/emr-certificates.zip'; must "
            r"not be under a job data prefix \(raw/, curated/, artifacts/\)",
        ),
        (
            {"tls_certificate_key": "tls/certs.tar"},
            r"ec2\.tls_certificate_key: Value error, got 'tls/certs.tar'; must be an object key ending in .zip",
        ),
        ({"tls_certificate_key": "/tls/certs.zip"}, r"ec2\.tls_certificate_key: Value error, got '/tls/certs.zip'"),
        (
            {"tls_certificate_validity_days": 0},
            r"ec2\.tls_certificate_validity_days: Input should be greater than or equal to 1",
        ),
        (
            {"tls_certificate_validity_days": 3651},
            r"ec2\.tls_certificate_validity_days: Input should be less than or equal to 3650",
        ),
    ],
)
def test_bad_certificate_settings_name_the_key_path(ec2: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _load(ec2)
