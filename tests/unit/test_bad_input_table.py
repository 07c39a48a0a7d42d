"""Wrong types and bad values at every public entry point (issue 9): each case names the prop in its error.

Given a bad value at a constructor, a frozen dataclass, a grant method or ``SparkJob``, when it is built, then a
``TypeError`` (``PropTypeError``) or ``ValueError`` is raised whose message names the prop. Tokens pass.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import Duration, RemovalPolicy, Stack, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from emr_constructs import (
    Application,
    Configuration,
    EbsVolume,
    EmrCluster,
    EmrServerlessApplication,
    InstanceFleet,
    InstanceGroup,
    JobRuntimeRole,
    Market,
    ReleaseLabel,
    RuntimeRoleTrust,
    SparkJob,
)
from emr_constructs._internal.types import (
    PropTypeError,
    check_ec2_instance_type,
    check_enum,
    check_int,
    check_required,
    check_s3_prefixes,
    check_sequence_of,
    check_type,
    ec2_instance_types,
)
from emr_constructs.cluster.applications import merge_configurations
from emr_constructs.core.releases import check_eks_release_label
from emr_constructs.core.validation import check_ecr_image, check_spark_conf, check_text
from emr_constructs.jobs.targets import TransientCluster
from tests.conftest import new_stack

_ids = itertools.count()
Env = tuple[Stack, ec2.Vpc]
T, V = PropTypeError, ValueError
JOB = {"name": "job", "entry_point": "s3://bkt/job.py"}
ROLE = "arn:aws:iam::123456789012:role/job"


@pytest.fixture(scope="module")
def env() -> Env:
    return new_stack()


def job(**props: Any) -> SparkJob:
    return SparkJob(**{**JOB, **props})


def eks_run(label: Any) -> object:
    return job(runtime_role_arn=ROLE).to_eks_start_job_run("vc-1", label)


def cluster(e: Env, **props: Any) -> EmrCluster:
    return EmrCluster(e[0], f"C{next(_ids)}", vpc=e[1], **props)


def serverless(e: Env, **props: Any) -> EmrServerlessApplication:
    return EmrServerlessApplication(e[0], f"A{next(_ids)}", **props)


def role(e: Env) -> JobRuntimeRole:
    return JobRuntimeRole(e[0], f"R{next(_ids)}", trust=RuntimeRoleTrust.serverless(e[0]))


def bucket(e: Env) -> s3.IBucket:
    return s3.Bucket.from_bucket_name(e[0], f"B{next(_ids)}", "data-bucket")


def grant(method: str, *args: Any) -> Callable[[Env], object]:
    return lambda e: getattr(role(e), method)(bucket(e), *args)


def cluster_grant(method: str, *args: Any) -> Callable[[Env], object]:
    return lambda e: getattr(cluster(e), method)(bucket(e), *args)


def isolated_vpc(e: Env) -> ec2.Vpc:
    return ec2.Vpc(
        e[0],
        f"Iso{next(_ids)}",
        max_azs=1,
        nat_gateways=0,
        subnet_configuration=[ec2.SubnetConfiguration(name="iso", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
    )


Case = tuple[str, Callable[[Env], object], type[Exception], str]

SPARK_JOB: list[Case] = [
    ("job name int", lambda e: job(name=3), T, r"^name: got 3 \(int\)"),
    ("job name non-ASCII", lambda e: job(name="jöb"), V, r"^name: got 'jöb'"),
    ("job name leading space", lambda e: job(name=" job"), V, r"^name: got ' job'"),
    ("job name trailing newline", lambda e: job(name="job\n"), V, r"^name: got 'job\\n'"),
    ("job entry_point None", lambda e: job(entry_point=None), T, r"^entry_point: got None"),
    ("job entry_point bytes", lambda e: job(entry_point=b"s3://b/x.py"), T, r"^entry_point: got b"),
    ("job arguments str", lambda e: job(arguments="--date 2024"), T, r"^arguments: got '--date 2024' \(str\)"),
    ("job arguments int item", lambda e: job(arguments=["--n", 3]), T, r"^arguments\[1\]: got 3"),
    ("job arguments empty item", lambda e: job(arguments=["--date", ""]), V, r"^arguments\[1\]: got ''"),
    ("job arguments dict", lambda e: job(arguments={"a": "b"}), T, r"^arguments: got \{"),
    ("job py_files str", lambda e: job(py_files="s3://b/lib.zip"), T, r"^py_files: got 's3://b/lib.zip' \(str\)"),
    ("job archives str", lambda e: job(archives="s3://b/env.tgz"), T, r"^archives: got 's3://b/env.tgz'"),
    ("job py_files None item", lambda e: job(py_files=[None]), T, r"^py_files\[0\]: got None"),
    ("job driver_cores bool", lambda e: job(driver_cores=True), T, r"^driver_cores: got True \(bool\)"),
    ("job driver_cores str number", lambda e: job(driver_cores="4"), T, r"^driver_cores: got '4' \(str\)"),
    ("job executor_cores float", lambda e: job(executor_cores=2.0), T, r"^executor_cores: got 2.0"),
    ("job executor_instances str", lambda e: job(executor_instances="10"), T, r"^executor_instances: got '10'"),
    ("job timeout_minutes bool", lambda e: job(timeout_minutes=False), T, r"^timeout_minutes: got False"),
    ("job timeout_minutes zero", lambda e: job(timeout_minutes=0), V, r"^timeout_minutes: got 0"),
    ("job driver_memory no unit", lambda e: job(driver_memory="4096"), V, r"^driver_memory: got '4096'.*unit"),
    ("job executor_memory no unit", lambda e: job(executor_memory="8"), V, r"^executor_memory: got '8'"),
    ("job executor_memory int", lambda e: job(executor_memory=4), T, r"^executor_memory: got 4 \(int\)"),
    ("job driver_memory non-ASCII digit", lambda e: job(driver_memory="\u0663g"), V, r"^driver_memory: got '\u0663g'"),
    ("job driver_memory space", lambda e: job(driver_memory="4 g"), V, r"^driver_memory: got '4 g'"),
    ("job executor_memory unit word", lambda e: job(executor_memory="4gb"), V, r"^executor_memory: got '4gb'"),
    ("job conf key without spark.", lambda e: job(conf={"executor.memory": "4g"}), V, r"^conf\['executor.memory'\]"),
    ("job conf int value", lambda e: job(conf={"spark.executor.cores": 4}), T, r"^conf\['spark.executor.cores'\]"),
    ("job conf list", lambda e: job(conf=["spark.x=1"]), T, r"^conf: got \["),
    ("job conf memory no unit", lambda e: job(conf={"spark.driver.memory": "2048"}), V, r"^conf\['spark.driver"),
    (
        "job conf overhead no unit",
        lambda e: job(conf={"spark.executor.memoryOverhead": "1"}),
        V,
        r"^conf\['spark.executor.memoryOverhead'\]",
    ),
    ("job conf key with space", lambda e: job(conf={" spark.x": "1"}), V, r"^conf key: got ' spark.x'"),
    ("job tags list", lambda e: job(tags=["team"]), T, r"^tags: got \['team'\]"),
    ("job tags int value", lambda e: job(tags={"team": 1}), T, r"^tags\['team'\]: got 1"),
    ("job main_class int", lambda e: job(main_class=1), T, r"^main_class: got 1"),
    ("job runtime_role_arn list", lambda e: job(runtime_role_arn=[ROLE]), T, r"^runtime_role_arn: got \["),
    ("job log_uri space", lambda e: job(log_uri="s3://bkt/logs/ "), V, r"^log_uri: got 's3://bkt/logs/ '"),
    ("job action_on_failure enum-less int", lambda e: job(action_on_failure=1), T, r"^action_on_failure: got 1"),
    ("eks release below floor", lambda e: eks_run("emr-6.1.0-latest"), V, r"^release_label: got 'emr-6.1.0-latest'"),
    ("eks release 5.x below floor", lambda e: eks_run("emr-5.31.0"), V, r"^release_label: got 'emr-5.31.0'"),
    ("eks release spark line", lambda e: eks_run("emr-spark-8.0.0"), V, r"^release_label: got 'emr-spark-8.0.0'"),
    ("eks release malformed", lambda e: eks_run("7.10.0"), V, r"^release_label: got '7.10.0'"),
    ("eks release int", lambda e: eks_run(7), V, r"^release_label: got 7"),
    ("eks release non-ASCII digit", lambda e: eks_run("emr-\u0667.10.0"), V, r"^release_label: got 'emr-\u0667.10.0'"),
    ("eks release stray space", lambda e: eks_run("emr-7.10.0 "), V, r"^release_label: got 'emr-7.10.0 '"),
]

DATACLASSES: list[Case] = [
    ("group unknown instance type", lambda e: InstanceGroup(instance_type="m7g.huge"), V, r"^instance_type: got"),
    ("group instance type typo", lambda e: InstanceGroup(instance_type="m5.xlarg"), V, r"^instance_type: got 'm5"),
    ("group instance type upper", lambda e: InstanceGroup(instance_type="M5.XLARGE"), V, r"^instance_type: got 'M5"),
    ("group instance type space", lambda e: InstanceGroup(instance_type=" m5.xlarge"), V, r"^instance_type: got ' m5"),
    ("group instance type int", lambda e: InstanceGroup(instance_type=5), T, r"^instance_type: got 5 \(int\)"),
    ("group count str", lambda e: InstanceGroup(count="2"), T, r"^count: got '2' \(str\)"),
    ("group count bool", lambda e: InstanceGroup(count=True), T, r"^count: got True \(bool\)"),
    ("group market str", lambda e: InstanceGroup(market="SPOT"), T, r"^market: got 'SPOT'.*Market.SPOT"),
    ("group ebs_volumes single", lambda e: InstanceGroup(ebs_volumes=EbsVolume(size_gib=10)), T, r"^ebs_volumes"),
    ("group name non-ASCII", lambda e: InstanceGroup(name="Coré"), V, r"^name: got 'Coré'"),
    ("fleet instance_types str", lambda e: InstanceFleet(instance_types="m5.xlarge"), T, r"^instance_types: got 'm5"),
    ("fleet unknown type", lambda e: InstanceFleet(instance_types=["m5.xlarge", "x9.big"]), V, r"^instance_types\[1\]"),
    (
        "fleet on_demand_units str",
        lambda e: InstanceFleet(instance_types=["m5.xlarge"], on_demand_units="1"),
        T,
        r"^on_demand_units",
    ),
    (
        "fleet spot_units float",
        lambda e: InstanceFleet(instance_types=["m5.xlarge"], spot_units=1.5),
        T,
        r"^spot_units",
    ),
    (
        "fleet allocation strategy str",
        lambda e: InstanceFleet(instance_types=["m5.xlarge"], spot_allocation_strategy="capacity-optimized"),
        T,
        r"^spot_allocation_strategy: got 'capacity-optimized'",
    ),
    (
        "fleet spot_timeout int",
        lambda e: InstanceFleet(instance_types=["m5.xlarge"], spot_timeout=10),
        T,
        r"^spot_timeout",
    ),
    (
        "fleet timeout action str",
        lambda e: InstanceFleet(instance_types=["m5.xlarge"], spot_timeout_action="TERMINATE_CLUSTER"),
        T,
        r"^spot_timeout_action: got 'TERMINATE_CLUSTER'",
    ),
    ("ebs size str", lambda e: EbsVolume(size_gib="100"), T, r"^size_gib: got '100'"),
    ("ebs size bool", lambda e: EbsVolume(size_gib=True), T, r"^size_gib: got True"),
    ("ebs iops str", lambda e: EbsVolume(size_gib=10, iops="3000"), T, r"^iops: got '3000'"),
    ("ebs per instance float", lambda e: EbsVolume(size_gib=10, volumes_per_instance=1.0), T, r"^volumes_per_instance"),
    ("ebs volume_type enum-less int", lambda e: EbsVolume(size_gib=10, volume_type=2), T, r"^volume_type: got 2"),
    ("configuration classification None", lambda e: Configuration(None), T, r"^classification: got None"),
    ("configuration classification space", lambda e: Configuration("spark "), V, r"^classification: got 'spark '"),
    ("configuration properties list", lambda e: Configuration("spark", ["a=b"]), T, r"^properties: got \['a=b'\]"),
    ("configuration property int", lambda e: Configuration("spark", {"a": 1}), T, r"^properties\['a'\]: got 1"),
    ("configuration nested single", lambda e: Configuration("x", {}, Configuration("y")), T, r"^configurations: got"),
    (
        "conflicting duplicate classification",
        lambda e: merge_configurations([Configuration("spark", {"a": "1"}), Configuration("spark", {"a": "2"})]),
        V,
        r"^configurations\['spark'\]\['a'\]: got '2'; conflicts with '1'",
    ),
    ("transient subnet None", lambda e: TransientCluster(subnet_id=None), T, r"^subnet_id: got None"),
    ("transient subnet space", lambda e: TransientCluster(subnet_id="subnet-1 "), V, r"^subnet_id: got 'subnet-1 '"),
    (
        "transient EKS release",
        lambda e: TransientCluster(subnet_id="s", release_label="emr-7.1.0-latest"),
        V,
        r"^release_label",
    ),
    (
        "transient release ReleaseLabel",
        lambda e: TransientCluster(subnet_id="s", release_label=ReleaseLabel.EMR_7_5_0),
        T,
        r"^release_label",
    ),
    (
        "transient instance type",
        lambda e: TransientCluster(subnet_id="s", instance_type="m7g.mega"),
        V,
        r"^instance_type",
    ),
    ("transient core_count str", lambda e: TransientCluster(subnet_id="s", core_count="2"), T, r"^core_count: got '2'"),
    ("transient core_count zero", lambda e: TransientCluster(subnet_id="s", core_count=0), V, r"^core_count: got 0"),
    (
        "transient log_uri not s3",
        lambda e: TransientCluster(subnet_id="s", log_uri="logs/"),
        V,
        r"^log_uri: got 'logs/'",
    ),
]

CONSTRUCTS: list[Case] = [
    ("cluster vpc str", lambda e: EmrCluster(e[0], f"C{next(_ids)}", vpc="vpc-123"), T, r"^vpc: got 'vpc-123' \(str\)"),
    ("cluster release str", lambda e: cluster(e, release_label="emr-7.10.0"), T, r"^release_label: got 'emr-7.10.0'"),
    ("cluster applications str", lambda e: cluster(e, applications="Spark"), T, r"^applications: got 'Spark' \(str\)"),
    (
        "cluster applications str item",
        lambda e: cluster(e, applications=["Spark"]),
        T,
        r"^applications\[0\]: got 'Spark'",
    ),
    ("cluster configurations dict", lambda e: cluster(e, configurations={"spark": {}}), T, r"^configurations: got"),
    ("cluster iceberg str", lambda e: cluster(e, iceberg="yes"), T, r"^iceberg: got 'yes'"),
    ("cluster glue_data_catalog int", lambda e: cluster(e, glue_data_catalog=1), T, r"^glue_data_catalog: got 1"),
    (
        "cluster glue_databases str",
        lambda e: cluster(e, glue_data_catalog=True, glue_databases="sales"),
        T,
        r"^glue_databases: got 'sales'",
    ),
    (
        "cluster glue_databases empty name",
        lambda e: cluster(e, glue_data_catalog=True, glue_databases=[""]),
        V,
        r"^glue_databases\[0\]: got ''",
    ),
    (
        "cluster step_concurrency str",
        lambda e: cluster(e, step_concurrency_level="5"),
        T,
        r"^step_concurrency_level: got '5'",
    ),
    (
        "cluster step_concurrency bool",
        lambda e: cluster(e, step_concurrency_level=True),
        T,
        r"^step_concurrency_level: got True",
    ),
    ("cluster idle_timeout int", lambda e: cluster(e, idle_timeout=3600), T, r"^idle_timeout: got 3600"),
    ("cluster capacity list", lambda e: cluster(e, capacity=[InstanceGroup()]), T, r"^capacity: got \["),
    (
        "cluster log_prefix s3 uri",
        lambda e: cluster(e, log_prefix="s3://logs/emr/"),
        V,
        r"^log_prefix: got 's3://logs/emr/'",
    ),
    ("cluster log_prefix empty", lambda e: cluster(e, log_prefix=""), V, r"^log_prefix: got ''"),
    ("cluster log_prefix star", lambda e: cluster(e, log_prefix="*"), V, r"^log_prefix: got '\*'"),
    ("cluster log_bucket str", lambda e: cluster(e, log_bucket="my-logs"), T, r"^log_bucket: got 'my-logs'"),
    ("cluster name trailing space", lambda e: cluster(e, name="etl "), V, r"^name: got 'etl '"),
    (
        "cluster cost_center non-ASCII digit",
        lambda e: cluster(e, cost_center="cc-\u0663"),
        V,
        r"^cost_center: got 'cc-\u0663'",
    ),
    (
        "cluster removal_policy str",
        lambda e: cluster(e, removal_policy="destroy"),
        T,
        r"^removal_policy: got 'destroy'",
    ),
    ("cluster vpc_subnets dict", lambda e: cluster(e, vpc_subnets={"subnet_type": "PRIVATE"}), T, r"^vpc_subnets: got"),
    (
        "cluster vpc without private subnets",
        lambda e: EmrCluster(e[0], f"C{next(_ids)}", vpc=isolated_vpc(e)),
        V,
        r"^vpc_subnets: got",
    ),
    (
        "cluster conflicting configurations",
        lambda e: cluster(
            e, configurations=[Configuration("spark-defaults", {"k": "a"}), Configuration("spark-defaults", {"k": "b"})]
        ),
        V,
        r"^configurations\['spark-defaults'\]\['k'\]",
    ),
    (
        "serverless release str",
        lambda e: serverless(e, release_label="emr-7.10.0"),
        T,
        r"^release_label: got 'emr-7.10.0'",
    ),
    (
        "serverless type str",
        lambda e: serverless(e, application_type="SPARK"),
        T,
        r"^application_type: got 'SPARK'.*ApplicationType.SPARK",
    ),
    (
        "serverless architecture str",
        lambda e: serverless(e, architecture="ARM64"),
        T,
        r"^architecture: got 'ARM64'.*Architecture.ARM64",
    ),
    ("serverless auto_stop str", lambda e: serverless(e, auto_stop="false"), T, r"^auto_stop: got 'false'"),
    ("serverless idle_timeout int", lambda e: serverless(e, idle_timeout=15), T, r"^idle_timeout: got 15"),
    ("serverless name non-ASCII", lambda e: serverless(e, name="spark-\u0663"), V, r"^name: got 'spark-\u0663'"),
    (
        "serverless initial_capacity dict",
        lambda e: serverless(e, initial_capacity={}),
        T,
        r"^initial_capacity: got \{\}",
    ),
    (
        "serverless security_groups str",
        lambda e: serverless(e, security_groups="sg-1"),
        T,
        r"^security_groups: got 'sg-1'",
    ),
    (
        "serverless image not ECR",
        lambda e: serverless(e, image_uri="docker.io/library/spark:3"),
        V,
        r"^image_uri: got 'docker.io",
    ),
    (
        "serverless image public ECR",
        lambda e: serverless(e, image_uri="public.ecr.aws/emr/spark:7"),
        V,
        r"^image_uri: got 'public.ecr",
    ),
    ("serverless image int", lambda e: serverless(e, image_uri=123), T, r"^image_uri: got 123"),
    (
        "serverless worker images list",
        lambda e: serverless(e, worker_image_uris=["x"]),
        T,
        r"^worker_image_uris: got \['x'\]",
    ),
    (
        "serverless worker images str key",
        lambda e: serverless(e, worker_image_uris={"DRIVER": "x"}),
        T,
        r"^worker_image_uris key: got 'DRIVER'",
    ),
    (
        "serverless log_prefix s3",
        lambda e: serverless(e, log_prefix="s3://b/logs/"),
        V,
        r"^log_prefix: got 's3://b/logs/'",
    ),
    ("serverless log_retention int", lambda e: serverless(e, log_retention=30), T, r"^log_retention: got 30"),
    (
        "serverless runtime_configuration dict",
        lambda e: serverless(e, runtime_configuration={"a": "b"}),
        T,
        r"^runtime_configuration",
    ),
    (
        "serverless removal_policy str",
        lambda e: serverless(e, removal_policy="RETAIN"),
        T,
        r"^removal_policy: got 'RETAIN'",
    ),
    (
        "runtime role trust str",
        lambda e: JobRuntimeRole(e[0], f"R{next(_ids)}", trust="serverless"),
        T,
        r"^trust: got 'serverless'",
    ),
    (
        "runtime role description int",
        lambda e: JobRuntimeRole(e[0], f"R{next(_ids)}", trust=RuntimeRoleTrust.serverless(e[0]), description=1),
        T,
        r"^description: got 1",
    ),
    ("runtime role role str", lambda e: JobRuntimeRole(e[0], f"R{next(_ids)}", role=ROLE), T, r"^role: got 'arn:aws"),
    (
        "runtime role arn with space",
        lambda e: JobRuntimeRole.from_role_arn(e[0], f"R{next(_ids)}", ROLE + " "),
        V,
        r"^role_arn: got",
    ),
    (
        "imported role of unknown name with IRSA trust",
        lambda e: JobRuntimeRole(
            e[0],
            f"R{next(_ids)}",
            role=iam.Role.from_role_arn(e[0], f"I{next(_ids)}", Token.as_string({"Ref": "RoleArn"})),
            trust=RuntimeRoleTrust.eks_irsa(
                open_id_connect_provider=iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
                    e[0],
                    f"O{next(_ids)}",
                    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/AB",
                ),
                namespace="spark",
            ),
        ),
        V,
        r"^trust: got .*IRSA trust",
    ),
]

GRANTS: list[Case] = [
    (
        "grant_read s3 uri prefix",
        grant("grant_read", "s3://data-bucket/raw/"),
        V,
        r"^prefix: got 's3://data-bucket/raw/'",
    ),
    ("grant_read explicit star", grant("grant_read", "*"), V, r"^prefix: got '\*'"),
    ("grant_read empty prefix", grant("grant_read", ""), V, r"^prefix: got ''"),
    ("grant_read wildcard inside", grant("grant_read", "raw/*/2024/"), V, r"^prefix: got 'raw/\*/2024/'"),
    ("grant_read list prefix", grant("grant_read", ["raw/"]), T, r"^prefix: got \['raw/'\]"),
    ("grant_read leading slash", grant("grant_read", "/raw/"), V, r"^prefix: got '/raw/'"),
    ("grant_read non-ASCII", grant("grant_read", "raw/\u0663/"), V, r"^prefix: got 'raw/\u0663/'"),
    ("grant_read bucket str", lambda e: role(e).grant_read("data-bucket", "raw/"), T, r"^bucket: got 'data-bucket'"),
    ("grant_read_write s3a uri", grant("grant_read_write", "s3a://data-bucket/x/"), V, r"^prefix: got 's3a://"),
    ("grant_read_write star", grant("grant_read_write", "*"), V, r"^prefix: got '\*'"),
    ("grant_read_write int", grant("grant_read_write", 1), T, r"^prefix: got 1"),
    ("grant_log_write empty", grant("grant_log_write", ""), V, r"^prefix: got ''"),
    ("grant_log_write s3 uri", grant("grant_log_write", "s3://logs/x/"), V, r"^prefix: got 's3://logs/x/'"),
    ("grant_log_write None", grant("grant_log_write", None), T, r"^prefix: got None"),
    ("glue databases str", lambda e: role(e).grant_glue_catalog("sales"), T, r"^databases: got 'sales' \(str\)"),
    ("glue databases empty name", lambda e: role(e).grant_glue_catalog(["sales", ""]), V, r"^databases\[1\]: got ''"),
    (
        "glue databases space name",
        lambda e: role(e).grant_glue_catalog([" sales"]),
        V,
        r"^databases\[0\]: got ' sales'",
    ),
    ("glue databases empty list", lambda e: role(e).grant_glue_catalog([]), V, r"^databases: got \[\]"),
    ("glue write str", lambda e: role(e).grant_glue_catalog(["sales"], write="yes"), T, r"^write: got 'yes'"),
    ("cluster grant prefixes str", cluster_grant("grant_data_read", "raw/"), T, r"^prefixes: got 'raw/' \(str\)"),
    (
        "cluster grant prefixes s3 uri",
        cluster_grant("grant_data_read", ["s3://b/raw/"]),
        V,
        r"^prefixes\[0\]: got 's3://b/raw/'",
    ),
    ("cluster grant prefixes empty list", cluster_grant("grant_data_read_write", []), V, r"^prefixes: got \[\]"),
    (
        "cluster grant prefixes star item",
        cluster_grant("grant_data_read_write", ["raw/", "*"]),
        V,
        r"^prefixes\[1\]: got '\*'",
    ),
    ("cluster grant bucket str", lambda e: cluster(e).grant_data_read("bkt", ["raw/"]), T, r"^bucket: got 'bkt'"),
]

HELPERS: list[Case] = [
    ("check_type", lambda e: check_type("p.q", "x", int), T, r"^p.q: got 'x' \(str\); must be int"),
    ("check_int bool", lambda e: check_int("n", True), T, r"^n: got True \(bool\)"),
    ("check_int str", lambda e: check_int("n", "3"), T, r"^n: got '3' \(str\)"),
    ("check_required", lambda e: check_required("vpc", None), V, r"^vpc: got None; is required"),
    ("check_sequence_of str", lambda e: check_sequence_of("xs", "abc", str), T, r"^xs: got 'abc' \(str\)"),
    ("check_enum str", lambda e: check_enum("market", "SPOT", Market), T, r"^market: got 'SPOT'.*Market.ON_DEMAND"),
    ("check_s3_prefixes str", lambda e: check_s3_prefixes("prefixes", "raw/"), T, r"^prefixes: got 'raw/'"),
    ("check_ec2_instance_type", lambda e: check_ec2_instance_type("t", "m7g.xlarge "), V, r"^t: got 'm7g.xlarge '"),
    ("check_text tab", lambda e: check_text("label", "a\tb"), V, r"^label: got 'a\\tb'"),
    (
        "check_ecr_image no account",
        lambda e: check_ecr_image("image", "dkr.ecr.us-east-1.amazonaws.com/x"),
        V,
        r"^image: got",
    ),
    ("check_spark_conf key", lambda e: check_spark_conf("conf", {"hive.x": "1"}), V, r"^conf\['hive.x'\]"),
    (
        "check_eks_release_label",
        lambda e: check_eks_release_label("release", "emr-6.1.0"),
        V,
        r"^release: got 'emr-6.1.0'",
    ),
]

CASES = SPARK_JOB + DATACLASSES + CONSTRUCTS + GRANTS + HELPERS


@pytest.mark.parametrize(("case", "build", "error", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_names_the_prop(
    env: Env, case: str, build: Callable[[Env], object], error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        build(env)


def test_type_errors_are_type_errors_and_value_errors_value_errors() -> None:
    assert issubclass(PropTypeError, TypeError)
    assert not issubclass(PropTypeError, ValueError)


def test_at_least_one_hundred_distinct_cases() -> None:
    assert len({c[0] for c in CASES}) == len(CASES) >= 100


def test_instance_types_come_from_botocore_and_are_cached() -> None:
    types = ec2_instance_types()
    assert {"m7g.xlarge", "r6gd.2xlarge", "c5.9xlarge"} <= types and "c5.8xlarge" not in types
    assert ec2_instance_types() is types


TOKEN_CASES: list[tuple[str, Callable[[Env], object]]] = [
    ("job name token", lambda e: job(name=Token.as_string({"Ref": "Name"}))),
    ("job entry token", lambda e: job(entry_point=Token.as_string({"Ref": "Script"}))),
    ("eks release token", lambda e: eks_run(Token.as_string({"Ref": "Release"}))),
    ("group instance type token", lambda e: InstanceGroup(instance_type=Token.as_string({"Ref": "Type"}))),
    ("group count token", lambda e: InstanceGroup(count=Token.as_number({"Ref": "Count"}))),
    ("grant prefix token", grant("grant_read", Token.as_string({"Ref": "Prefix"}))),
    ("cluster grant prefix token item", cluster_grant("grant_data_read", [Token.as_string({"Ref": "Prefix"})])),
    ("glue database token", lambda e: role(e).grant_glue_catalog([Token.as_string({"Ref": "Db"})])),
    ("cluster name token", lambda e: cluster(e, name=Token.as_string({"Ref": "Name"}))),
    ("cluster log prefix token", lambda e: cluster(e, log_prefix=Token.as_string({"Ref": "Prefix"}))),
    (
        "serverless image token",
        lambda e: serverless(
            e, release_label=ReleaseLabel.of("emr-7.10.0"), image_uri=Token.as_string({"Ref": "Image"})
        ),
    ),
    (
        "identical duplicate configuration",
        lambda e: merge_configurations([Configuration("s", {"a": "1"}), Configuration("s", {"a": "1"})]),
    ),
    (
        "ECR image with digest",
        lambda e: check_ecr_image("image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark@sha256:" + "a" * 64),
    ),
    (
        "spark conf with memory units",
        lambda e: check_spark_conf("conf", {"spark.executor.memory": "4g", "spark.driver.memory": "512m"}),
    ),
    ("cluster grant default whole bucket", lambda e: cluster(e).grant_data_read(bucket(e))),
    ("role grant default whole bucket", lambda e: role(e).grant_read(bucket(e))),
    (
        "cluster vpc_subnets enum selection",
        lambda e: cluster(e, vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)),
    ),
    (
        "cluster Duration idle timeout",
        lambda e: cluster(e, idle_timeout=Duration.hours(1), removal_policy=RemovalPolicy.DESTROY),
    ),
    ("cluster Application list", lambda e: cluster(e, applications=[Application.SPARK])),
]


@pytest.mark.parametrize(("case", "build"), TOKEN_CASES, ids=[c[0] for c in TOKEN_CASES])
def test_tokens_and_valid_values_pass(env: Env, case: str, build: Callable[[Env], object]) -> None:
    build(env)
