"""Account-wide Lake Formation settings: an explicit opt-in, because they replace what the account has.

``AWS::LakeFormation::DataLakeSettings`` calls PutDataLakeSettings, which "replaces the current list of data lake
admins with the new list being passed"; the other lists it carries (default permissions of new databases and tables,
the external data filtering allow list, authorized session tags) are set the same way. A stack that owns them drops
the admins and settings somebody made in the console. Nothing in this library creates it unless asked.
See: https://docs.aws.amazon.com/lake-formation/latest/APIReference/API_PutDataLakeSettings.html
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Annotations, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lakeformation as lf
from constructs import Construct

from emr_constructs._internal.types import check_sequence_of, check_text
from emr_constructs._internal.validation import fail
from emr_constructs.cluster.security_configuration import EMR_LAKE_FORMATION_SESSION_TAG

REPLACES_SETTINGS_WARNING = "emr-constructs:lake-formation-data-lake-settings"


class LakeFormationDataLakeSettings(Construct):
    """Opt-in: the account's Lake Formation settings (``AWS::LakeFormation::DataLakeSettings``), with the
    application integration EMR needs: external data filtering allowed for this account, for the session tag values
    ``authorized_session_tag_values``.

    Deploying it REPLACES the account's data lake administrators (with ``admins``) and its other data lake settings;
    a synth warning says so on every use.

    :param admins: the data lake administrators after the deployment (at least one: list every admin the account
        must keep, including the role that deploys this stack if it grants permissions).
    :param authorized_session_tag_values: Default: ``["Amazon EMR"]`` (EMR on EC2 runtime roles).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        admins: Sequence[iam.IRole],
        authorized_session_tag_values: Sequence[str] = (EMR_LAKE_FORMATION_SESSION_TAG,),
    ) -> None:
        super().__init__(scope, construct_id)
        check_sequence_of("admins", admins, iam.IRole, optional=False)
        if not admins:
            raise fail("admins", list(admins), "name at least one admin: the account's admins are replaced by these")
        check_sequence_of("authorized_session_tag_values", authorized_session_tag_values, str, optional=False)
        for i, value in enumerate(authorized_session_tag_values):
            check_text(f"authorized_session_tag_values[{i}]", value, optional=False)
        account = Stack.of(self).account
        self._resource = lf.CfnDataLakeSettings(
            self,
            "Resource",
            admins=[
                lf.CfnDataLakeSettings.DataLakePrincipalProperty(data_lake_principal_identifier=a.role_arn)
                for a in admins
            ],
            allow_external_data_filtering=True,
            external_data_filtering_allow_list=[
                lf.CfnDataLakeSettings.DataLakePrincipalProperty(data_lake_principal_identifier=account)
            ],
            authorized_session_tag_value_list=list(authorized_session_tag_values),
        )
        Annotations.of(self).add_warning_v2(
            REPLACES_SETTINGS_WARNING,
            "AWS::LakeFormation::DataLakeSettings REPLACES this account's Lake Formation data lake administrators "
            "(and its other data lake settings) with the ones in this stack: admins not listed in 'admins' lose "
            "admin rights on deployment. Use it only in an account whose Lake Formation settings this stack owns.",
        )
