"""A typed EMR security configuration: encryption at rest and in transit, Kerberos, runtime roles, IMDSv2.

See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-security-configurations.html
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_emr as emr
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from emr_constructs._internal.validation import check_range, check_s3_uri, fail, is_token

DEFAULT_TICKET_LIFETIME_HOURS = 24
DEFAULT_KERBEROS_REALM = "EC2.INTERNAL"
EMR_LAKE_FORMATION_SESSION_TAG = "Amazon EMR"
"""The ``LakeFormationAuthorizedCaller`` session-tag value of EMR on EC2 runtime roles.
See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-lf-enable.html"""


@dataclass(frozen=True, kw_only=True)
class AtRestEncryption:
    """Encrypt EMRFS data in S3 (SSE-KMS) and local disks + EBS volumes, all with ``key``."""

    key: kms.IKey
    s3: bool = True
    local_disk: bool = True
    ebs: bool = True


@dataclass(frozen=True, kw_only=True)
class InTransitEncryption:
    """TLS between nodes, using a zip of PEM certificates at ``certificate_s3_uri``.

    The zip holds ``privateKey.pem``, ``certificateChain.pem`` and, unless a CA that Java trusts by default signed
    the certificate, ``trustedCertificates.pem``. EMR copies it to every node when a cluster launches: the object must
    exist before the cluster is created, and the instance role must be able to read it. Bring a certificate issued by
    your CA for production; ``EmrTlsCertificate(...).in_transit_encryption()`` generates a self-signed one during the
    deployment instead.

    See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-encryption-certificates
    """

    certificate_s3_uri: str


@dataclass(frozen=True, kw_only=True)
class KerberosConfiguration:
    """Kerberos authentication. The KDC admin password is read from Secrets Manager at deploy time.

    :param external_kdc_server: Default: a cluster-dedicated KDC on the primary node. Clusters with three primary
        nodes need an external KDC (set this and ``external_admin_server``).
    :param realm: Default: ``EC2.INTERNAL``.
    :param ticket_lifetime_hours: Default: 24.
    """

    kdc_admin_password: secretsmanager.ISecret
    realm: str = DEFAULT_KERBEROS_REALM
    ticket_lifetime_hours: int = DEFAULT_TICKET_LIFETIME_HOURS
    external_kdc_server: str | None = None
    external_admin_server: str | None = None

    @property
    def cluster_dedicated(self) -> bool:
        return self.external_kdc_server is None


@dataclass(frozen=True, kw_only=True)
class RuntimeRoleAuthorization:
    """Job-centric runtime roles for steps (``EnableApplicationScopedIAMRole``).

    :param propagate_source_identity: Default: on, so CloudTrail shows who submitted the step.
    :param lake_formation: Default: off. On enables Lake Formation fine-grained access for the runtime roles
        (emr-6.15.0 and later): ``LakeFormationConfiguration.AuthorizedSessionTagValue`` "Amazon EMR", and
        ``sts:TagSession`` in the trust of roles from ``EmrCluster.add_runtime_role``. Lake Formation must allow
        external data filtering for that session tag value in this account (``LakeFormationDataLakeSettings``, or the
        console's application integration settings); grant tables with ``LakeFormationPermissions`` and register
        locations with ``LakeFormationDataLocation`` (a user-defined role: EMR cannot use the service-linked one).
        AWS's example configuration also enables in-transit encryption.
        See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-lf-enable.html
    """

    propagate_source_identity: bool = True
    lake_formation: bool = False


class EmrSecurityConfiguration(Construct):
    """An ``AWS::EMR::SecurityConfiguration`` built from typed options.

    :param at_rest: Default: no at-rest encryption.
    :param in_transit: Default: no in-transit encryption.
    :param kerberos: Default: no Kerberos.
    :param runtime_roles: Default: no runtime roles (steps run as the instance role).
    :param imdsv2: Default: on (instances require IMDSv2 tokens).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        at_rest: AtRestEncryption | None = None,
        in_transit: InTransitEncryption | None = None,
        kerberos: KerberosConfiguration | None = None,
        runtime_roles: RuntimeRoleAuthorization | None = None,
        imdsv2: bool = True,
    ) -> None:
        super().__init__(scope, construct_id)
        if in_transit is not None:
            _check_certificate_uri(in_transit.certificate_s3_uri)
        if kerberos is not None:
            check_range("kerberos.ticket_lifetime_hours", kerberos.ticket_lifetime_hours, 1, 168)
        self.at_rest = at_rest
        self.in_transit = in_transit
        self.kerberos = kerberos
        self.runtime_roles = runtime_roles
        self.imdsv2 = imdsv2
        self._resource = emr.CfnSecurityConfiguration(
            self,
            "Resource",
            security_configuration=self.to_json(),
        )

    @property
    def security_configuration_name(self) -> str:
        return self._resource.ref

    def to_json(self) -> dict[str, Any]:
        """The security configuration document, as EMR's CreateSecurityConfiguration takes it."""
        doc: dict[str, Any] = {
            "EncryptionConfiguration": {
                "EnableAtRestEncryption": self.at_rest is not None,
                "EnableInTransitEncryption": self.in_transit is not None,
            }
        }
        if self.at_rest is not None:
            key_arn = self.at_rest.key.key_arn
            at_rest: dict[str, Any] = {}
            if self.at_rest.s3:
                at_rest["S3EncryptionConfiguration"] = {"EncryptionMode": "SSE-KMS", "AwsKmsKey": key_arn}
            if self.at_rest.local_disk:
                at_rest["LocalDiskEncryptionConfiguration"] = {
                    "EncryptionKeyProviderType": "AwsKms",
                    "AwsKmsKey": key_arn,
                    "EnableEbsEncryption": self.at_rest.ebs,
                }
            doc["EncryptionConfiguration"]["AtRestEncryptionConfiguration"] = at_rest
        if self.in_transit is not None:
            doc["EncryptionConfiguration"]["InTransitEncryptionConfiguration"] = {
                "TLSCertificateConfiguration": {
                    "CertificateProviderType": "PEM",
                    "S3Object": self.in_transit.certificate_s3_uri,
                }
            }
        if self.kerberos is not None:
            kerberos: dict[str, Any]
            if self.kerberos.cluster_dedicated:
                kerberos = {
                    "Provider": "ClusterDedicatedKdc",
                    "ClusterDedicatedKdcConfiguration": {"TicketLifetimeInHours": self.kerberos.ticket_lifetime_hours},
                }
            else:
                kerberos = {
                    "Provider": "ExternalKdc",
                    "ExternalKdcConfiguration": {
                        "KdcServerType": "Single",
                        "KdcServer": self.kerberos.external_kdc_server,
                        "AdminServer": self.kerberos.external_admin_server or self.kerberos.external_kdc_server,
                    },
                }
            doc["AuthenticationConfiguration"] = {"KerberosConfiguration": kerberos}
        if self.runtime_roles is not None:
            authz: dict[str, Any] = {
                "IAMConfiguration": {
                    "EnableApplicationScopedIAMRole": True,
                    "ApplicationScopedIAMRoleConfiguration": {
                        "PropagateSourceIdentity": self.runtime_roles.propagate_source_identity
                    },
                }
            }
            if self.runtime_roles.lake_formation:
                authz["LakeFormationConfiguration"] = {"AuthorizedSessionTagValue": EMR_LAKE_FORMATION_SESSION_TAG}
            doc["AuthorizationConfiguration"] = authz
        if self.imdsv2:
            doc["InstanceMetadataServiceConfiguration"] = {
                "MinimumInstanceMetadataServiceVersion": 2,
                "HttpPutResponseHopLimit": 1,
            }
        return doc

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return json.dumps(Stack.of(self).resolve(self.to_json()))


def _check_certificate_uri(uri: str) -> None:
    """An ``s3://bucket/key`` of the zip object; tokens (e.g. a generated certificate's URI) pass."""
    check_s3_uri("in_transit.certificate_s3_uri", uri)
    if not is_token(uri) and not uri.removeprefix("s3://").partition("/")[2].strip("/"):
        raise fail(
            "in_transit.certificate_s3_uri",
            uri,
            "must name the zip object of PEM files, e.g. 's3://my-bucket/tls/emr-certificates.zip', not a bucket",
        )
