"""Every README example runs, and does what the README says it does."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Annotations, Match, Template

from tests.conftest import ROOT

EXAMPLE = re.compile(r"<!-- example: (?P<name>[\w-]+) -->\n(?P<blocks>(```python\n.*?```\s*)+)", re.S)
CODE = re.compile(r"```python\n(.*?)```", re.S)


def readme_examples() -> dict[str, str]:
    """Each tagged example, with any python blocks that directly follow it joined."""
    text = (ROOT / "README.md").read_text()
    return {m["name"]: "\n".join(CODE.findall(m["blocks"])) for m in EXAMPLE.finditer(text)}


def _run(code: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code, "README.md", "exec"), namespace)
    return namespace


def _cluster(stack: Stack) -> dict[str, Any]:
    (cluster,) = Template.from_stack(stack).find_resources("AWS::EMR::Cluster").values()
    return cluster["Properties"]


def check_cluster(ns: dict[str, Any]) -> None:
    props = _cluster(ns["stack"])
    assert props["ReleaseLabel"] == "emr-7.10.0"
    assert props["AutoTerminationPolicy"] == {"IdleTimeout": 1800}
    assert {c["Classification"] for c in props["Configurations"]} == {
        "hive-site",
        "spark-hive-site",
        "iceberg-defaults",
        "spark-defaults",  # the Iceberg glue_catalog (the same settings as EMR Serverless's iceberg())
    }
    assert {"Key": "cost-center", "Value": "analytics"} in props["Tags"]
    assert len(Template.from_stack(ns["stack"]).find_resources("AWS::CloudWatch::Alarm")) == 5


def check_steps(ns: dict[str, Any]) -> None:
    props = _cluster(ns["stack"])
    assert props["Instances"]["KeepJobFlowAliveWhenNoSteps"] is False
    assert props["Steps"][0]["HadoopJarStep"]["Args"][:3] == ["spark-submit", "--deploy-mode", "cluster"]
    assert props["BootstrapActions"][0]["Name"] == "deps"
    assert props["ManagedScalingPolicy"]["ComputeLimits"]["MaximumCoreCapacityUnits"] == 3


def check_runtime_roles(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    assert len(template.find_resources("AWS::EMR::SecurityConfiguration")) == 1
    assert len(template.find_resources("Custom::AWS")) == 1
    assert "ExecutionRoleArn" in str(template.find_resources("Custom::AWS"))


def check_building_blocks(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    deletion = sorted(r.get("DeletionPolicy") for r in template.find_resources("AWS::S3::Bucket").values())
    assert deletion == ["Delete", "Delete", "Retain", "Retain"]
    (group,) = template.find_resources("AWS::Logs::LogGroup").values()
    assert group["Properties"]["RetentionInDays"] == 400
    assert len(template.find_resources("AWS::IAM::InstanceProfile")) == 1


def check_serverless(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    apps = {k: v["Properties"] for k, v in template.find_resources("AWS::EMRServerless::Application").items()}
    spark = next(v for k, v in apps.items() if k.startswith("Spark"))
    warm = next(v for k, v in apps.items() if k.startswith("Interactive"))
    assert "InitialCapacity" not in spark and spark["AutoStopConfiguration"]["IdleTimeoutMinutes"] == 10
    assert spark["MaximumCapacity"] == {"Cpu": "64 vCPU", "Memory": "256 GB", "Disk": "2000 GB"}
    assert warm["InitialCapacity"][0]["Key"] == "Driver"
    role = next(v for k, v in template.find_resources("AWS::IAM::Role").items() if k.startswith("WordCountRole"))
    assert "emr-serverless.amazonaws.com" in str(role["Properties"]["AssumeRolePolicyDocument"])


def check_eks(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    (vc,) = template.find_resources("AWS::EMRContainers::VirtualCluster").values()
    assert vc["Properties"]["ContainerProvider"]["Info"]["EksInfo"]["Namespace"] == "analytics"
    roles = [
        r
        for r in template.find_resources("AWS::IAM::Role").values()
        if str(r["Properties"].get("RoleName", "")).startswith("emr-eks-job-")
    ]
    assert len(roles) == 1
    assert len(template.find_resources("AWS::Logs::MetricFilter")) == 7


def check_pipeline(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    (machine,) = template.find_resources("AWS::StepFunctions::StateMachine").values()
    assert ":states:::emr-serverless:startJobRun.sync" in str(machine["Properties"]["DefinitionString"])
    assert len(template.find_resources("AWS::Scheduler::Schedule")) == 1


def check_tls(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    (certificate_id,) = template.find_resources("Custom::EmrTlsCertificate")
    (security,) = template.find_resources("AWS::EMR::SecurityConfiguration").values()
    assert certificate_id in str(security["Properties"]["SecurityConfiguration"])  # URI read from the certificate
    assert "tls/emr-certificates.zip" in str(template.find_resources("AWS::IAM::ManagedPolicy"))


def check_eks_karpenter(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    associations = template.find_resources("AWS::EKS::PodIdentityAssociation").values()
    emr = [str(a["Properties"]["ServiceAccount"]) for a in associations if "emr-containers-sa-spark" in str(a)]
    assert sorted(role for a in emr for role in ("client", "driver", "executor") if f"spark-{role}-" in a) == [
        "client",
        "driver",
        "executor",
    ]
    selector = ns["templates"].executor_template["spec"]["nodeSelector"]
    assert selector["karpenter.sh/capacity-type"] == "spot"


def check_alarm_topic(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    (policy,) = template.find_resources("AWS::SNS::TopicPolicy").values()
    publishers = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s.get("Action") == "sns:Publish"]
    assert any(
        s["Principal"] == {"Service": "cloudwatch.amazonaws.com"} and "aws:SourceAccount" in str(s["Condition"])
        for s in publishers
    )


def check_consumer_acknowledgments(ns: dict[str, Any]) -> None:
    ns["app"].synth()  # raises "ValidationFailed" on any unacknowledged finding of the four packs


def check_studio(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    (studio,) = template.find_resources("AWS::EMR::Studio").values()
    assert studio["Properties"]["AuthMode"] == "SSO" and "UserRole" in studio["Properties"]
    (mapping,) = template.find_resources("AWS::EMR::StudioSessionMapping").values()
    assert mapping["Properties"]["IdentityType"] == "GROUP"
    (app,) = template.find_resources("AWS::EMRServerless::Application").values()
    assert app["Properties"]["InteractiveConfiguration"] == {"StudioEnabled": True, "LivyEndpointEnabled": True}
    (endpoint,) = template.find_resources("AWS::EMRContainers::Endpoint").values()
    assert endpoint["Properties"]["Type"] == "JUPYTER_ENTERPRISE_GATEWAY"
    assert endpoint["Properties"]["SessionIdleTimeoutInMinutes"] == 120
    engine = {"Properties": {"GroupDescription": "EMR Studio engine"}}
    assert len(template.find_resources("AWS::EC2::SecurityGroup", engine)) == 1


def check_airflow(ns: dict[str, Any]) -> None:
    import ast

    for name in ("serverless", "ec2", "eks"):
        tree = ast.parse(ns[f"{name}_dag"])  # valid Python
        operators = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert {
            "DAG",
            {"serverless": "EmrServerlessStartJobOperator", "ec2": "EmrStepSensor", "eks": "EmrContainerOperator"}[
                name
            ],
        } <= operators
    assert "'sparkSubmit': {" in ns["serverless_dag"] and "cancel_on_kill=True" in ns["serverless_dag"]
    assert "execution_timeout=timedelta(minutes=60)" in ns["eks_dag"]


def check_compliance(ns: dict[str, Any]) -> None:
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        ns["app"].synth()


def check_budget(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    (budget,) = template.find_resources("AWS::Budgets::Budget").values()
    props = budget["Properties"]
    assert props["Budget"]["CostFilters"] == {"TagKeyValue": ["user:application$sales-etl"]}
    assert props["Budget"]["BudgetLimit"] == {"Amount": 500, "Unit": "USD"}
    assert [n["Notification"]["Threshold"] for n in props["NotificationsWithSubscribers"]] == [80, 100, 100]
    budgets = Match.object_like({"Principal": {"Service": "budgets.amazonaws.com"}})
    template.has_resource_properties(
        "AWS::SNS::TopicPolicy", {"PolicyDocument": {"Statement": Match.array_with([budgets])}}
    )
    template.has_resource_properties("AWS::KMS::Key", {"KeyPolicy": {"Statement": Match.array_with([budgets])}})
    template.has_resource_properties(
        "AWS::EMRServerless::Application",
        {"Tags": Match.array_with([{"Key": "application", "Value": "sales-etl"}])},
    )


def check_streaming(ns: dict[str, Any]) -> None:
    stack: Stack = ns["stack"]
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::EMRServerless::Application",
        {"SchedulerConfiguration": {"MaxConcurrentRuns": 4, "QueueTimeoutMinutes": 30}},
    )
    actions = str(template.find_resources("AWS::IAM::ManagedPolicy"))
    for action in ("kinesis:GetRecords", "kms:Decrypt", "kafka-cluster:ReadData", "kafka-cluster:AlterGroup"):
        assert action in actions
    params = ns["request"]["jobDriver"]["sparkSubmit"]["sparkSubmitParameters"]
    assert "spark.sql.streaming.checkpointLocation=s3://" in params and "/checkpoints/orders/" in params
    assert ns["request"]["executionRoleArn"] == ns["role"].role_arn


def check_lake_formation(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    (location,) = template.find_resources("AWS::LakeFormation::Resource").values()
    assert location["Properties"]["UseServiceLinkedRole"] is False and "RoleArn" in location["Properties"]
    grants = [g["Properties"] for g in template.find_resources("AWS::LakeFormation::PrincipalPermissions").values()]
    assert sorted(next(iter(g["Resource"])) for g in grants) == ["Database", "Table", "TableWithColumns"]
    assert "lakeformation:GetDataAccess" in json.dumps(template.find_resources("AWS::IAM::ManagedPolicy"))
    (app,) = template.find_resources("AWS::EMRServerless::Application").values()
    (conf,) = app["Properties"]["RuntimeConfiguration"]
    assert conf["Properties"] == {"spark.emr-serverless.lakeformation.enabled": "true"}
    assert "LakeFormationConfiguration" in json.dumps(template.find_resources("AWS::EMR::SecurityConfiguration"))
    assert not template.find_resources("AWS::LakeFormation::DataLakeSettings")
    settings = Template.from_stack(ns["settings_stack"])
    assert len(settings.find_resources("AWS::LakeFormation::DataLakeSettings")) == 1
    Annotations.from_stack(ns["settings_stack"]).has_warning("*", Match.string_like_regexp("REPLACES"))


def check_glue_iceberg(ns: dict[str, Any]) -> None:
    template = Template.from_stack(ns["stack"])
    (database,) = template.find_resources("AWS::Glue::Database").values()
    assert database["DeletionPolicy"] == "Retain"
    assert database["Properties"]["DatabaseInput"]["Name"] == "curated"
    assert "table/curated/*" in json.dumps(template.find_resources("AWS::IAM::ManagedPolicy"))
    ec2 = next(c for c in ns["ec2_configurations"] if c.classification == "spark-defaults").properties
    (serverless,) = ns["serverless_configuration"]
    (eks,) = ns["eks_overrides"]["applicationConfiguration"]
    catalog = {k: v for k, v in ec2.items() if k.startswith("spark.sql.")}
    assert catalog["spark.sql.catalog.glue_catalog.io-impl"] == "org.apache.iceberg.aws.s3.S3FileIO"
    assert {k: v for k, v in serverless.properties.items() if k.startswith("spark.sql.")} == catalog
    assert {k: v for k, v in eks["properties"].items() if k.startswith("spark.sql.")} == catalog


CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "cluster": check_cluster,
    "steps": check_steps,
    "runtime-roles": check_runtime_roles,
    "building-blocks": check_building_blocks,
    "serverless": check_serverless,
    "eks": check_eks,
    "pipeline": check_pipeline,
    "tls": check_tls,
    "eks-karpenter": check_eks_karpenter,
    "alarm-topic": check_alarm_topic,
    "consumer-acknowledgments": check_consumer_acknowledgments,
    "compliance": check_compliance,
    "budget": check_budget,
    "streaming": check_streaming,
    "studio": check_studio,
    "airflow": check_airflow,
    "lake-formation": check_lake_formation,
    "glue-iceberg": check_glue_iceberg,
}


def test_every_example_has_a_check() -> None:
    assert set(readme_examples()) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_readme_example(name: str) -> None:
    CHECKS[name](_run(readme_examples()[name]))
