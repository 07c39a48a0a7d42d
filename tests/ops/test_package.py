"""``emrctl package`` offline: wheels built here (one pure-Python, one binary-tagged for CPython 3.9 on aarch64) in a
find-links directory, pip run with --no-index, uploads to moto's S3, and the job that uses them on all three runtimes.

pip's platform flags: https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-platform; manylinux_2_28 needs glibc
2.28 (PEP 600), which Amazon Linux 2023 (EMR 7.x, glibc 2.34) has and Amazon Linux 2 (EMR 6.x, glibc 2.26) has not:
https://docs.aws.amazon.com/linux/al2023/ug/glibc-gcc-and-binutils.html
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import shlex
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from emr_constructs.core.python_runtimes import CpuArchitecture, python_runtime
from emr_constructs.core.releases import ReleaseLabel
from emr_constructs.ops.package import BuildTarget, Sources, explain_pip_failure, pip_command
from emr_constructs.ops.specfile import load_spec
from tests.ops.conftest import Result

BUCKET = "emr-pkg-data"
EMR_7 = ReleaseLabel.of("emr-7.5.0")


def write_wheel(directory: Path, name: str, version: str, tag: str, files: dict[str, str]) -> Path:
    """A minimal valid wheel: the files plus dist-info METADATA, WHEEL and RECORD (with sha256 and size)."""
    dist_info = f"{name}-{version}.dist-info"
    contents = dict(files)
    contents[f"{dist_info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    purelib = "true" if tag.endswith("none-any") else "false"
    contents[f"{dist_info}/WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: emrctl-tests\nRoot-Is-Purelib: {purelib}\n"
        + "".join(f"Tag: {part}\n" for part in _expand(tag))
    )
    record = []
    for path, text in contents.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    contents[f"{dist_info}/RECORD"] = "\n".join(record) + "\n"
    wheel = directory / f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in contents.items():
            archive.writestr(path, text)
    return wheel


def _expand(tag: str) -> list[str]:
    """``cp39-cp39-a.b`` -> ``cp39-cp39-a``, ``cp39-cp39-b`` (a compressed tag set)."""
    python, abi, platforms = tag.split("-")
    return [f"{python}-{abi}-{platform}" for platform in platforms.split(".")]


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("wheelhouse")
    write_wheel(directory, "purelib", "1.0", "py3-none-any", {"purelib/__init__.py": "VALUE = 1\n"})
    write_wheel(
        directory,
        "fastnum",
        "2.0",
        "cp39-cp39-manylinux_2_28_aarch64",
        {
            "fastnum/__init__.py": "from ._speedups import *\n",
            "fastnum/_speedups.cpython-39-aarch64-linux-gnu.so": "ELF",
        },
    )
    write_wheel(directory, "fastnum", "1.0", "cp39-cp39-manylinux2014_aarch64", {"fastnum/__init__.py": "OLD = 1\n"})
    write_wheel(directory, "x86only", "1.0", "cp39-cp39-manylinux2014_x86_64", {"x86only/__init__.py": ""})
    return directory


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("project")
    (directory / "requirements.txt").write_text("purelib==1.0\nfastnum\n")
    (directory / "etl.py").write_text("import fastnum, purelib\n")
    return directory


@pytest.fixture(scope="module")
def stacks(client: Callable[[str], Any]) -> dict[str, str]:
    """One stack per runtime with the outputs emrctl package reads, and the data bucket in moto's S3."""
    client("s3").create_bucket(Bucket=BUCKET)
    app_id = client("emr-serverless").create_application(
        name="pkg-app", releaseLabel="emr-7.5.0", type="SPARK", architecture="ARM64"
    )["applicationId"]
    cluster_id = client("emr").run_job_flow(
        Name="pkg-cluster",
        ReleaseLabel="emr-7.5.0",
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
        Instances={"MasterInstanceType": "m7g.xlarge", "InstanceCount": 1, "KeepJobFlowAliveWhenNoSteps": True},
    )["JobFlowId"]
    clusters = {}
    for name, primary, core in (("x86", "m7i.xlarge", "m6a.2xlarge"), ("mixed", "m7g.xlarge", "m5.xlarge")):
        instances = {"MasterInstanceType": primary, "SlaveInstanceType": core, "InstanceCount": 2}
        clusters[name] = client("emr").run_job_flow(
            Name=f"pkg-{name}",
            ReleaseLabel="emr-7.5.0",
            JobFlowRole="EMR_EC2_DefaultRole",
            ServiceRole="EMR_DefaultRole",
            Instances={**instances, "KeepJobFlowAliveWhenNoSteps": True},
        )["JobFlowId"]
    outputs = {
        "Emr-pkg-Serverless": {"ApplicationId": app_id, "DataBucket": BUCKET},
        "Emr-pkg-Ec2": {"ClusterId": cluster_id, "DataBucket": BUCKET},
        "Emr-pkg-Ec2-x86": {"ClusterId": clusters["x86"], "DataBucket": BUCKET},
        "Emr-pkg-Ec2-mixed": {"ClusterId": clusters["mixed"], "DataBucket": BUCKET},
        "Emr-pkg-Eks": {"VirtualClusterId": "vc-none", "DataBucket": BUCKET, "ReleaseLabel": "emr-7.5.0-latest"},
    }
    for name, values in outputs.items():
        template = {
            "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {key: {"Value": value} for key, value in values.items()},
        }
        client("cloudformation").create_stack(StackName=name, TemplateBody=json.dumps(template))
    return {"serverless": "Emr-pkg-Serverless", "ec2": "Emr-pkg-Ec2", "eks": "Emr-pkg-Eks", "app_id": app_id}


def _confs(parameters: str) -> dict[str, str]:
    words = shlex.split(parameters)
    return dict(words[i + 1].split("=", 1) for i, word in enumerate(words) if word == "--conf")  # type: ignore[misc]


def _flag(parameters: str, flag: str) -> str | None:
    words = shlex.split(parameters)
    return words[words.index(flag) + 1] if flag in words else None


# ---- the pip command -----------------------------------------------------------------------------------------------


def test_pip_gets_both_manylinux_platforms_for_emr_7(tmp_path: Path) -> None:
    target = BuildTarget(python_runtime("serverless", EMR_7), CpuArchitecture.AARCH64)
    command = pip_command(tmp_path, target, Sources(requirements=["r.txt"], find_links=["w"], no_index=True), "py")
    assert command[:5] == ["py", "-m", "pip", "install", "--target"]
    pairs = list(itertools.pairwise(command))
    assert ("--implementation", "cp") in pairs and ("--python-version", "3.9") in pairs
    assert "--only-binary=:all:" in command
    platforms = [value for flag, value in pairs if flag == "--platform"]
    assert platforms == ["manylinux_2_28_aarch64", "manylinux2014_aarch64"]
    assert ("--find-links", "w") in pairs and "--no-index" in command and ("--requirement", "r.txt") in pairs
    assert "--no-compile" in command  # no .pyc of the local interpreter in an archive for another Python


def test_pip_gets_only_manylinux2014_for_emr_6_on_amazon_linux_2(tmp_path: Path) -> None:
    target = BuildTarget(python_runtime("ec2", ReleaseLabel.of("emr-6.15.0")), CpuArchitecture.X86_64)
    command = pip_command(tmp_path, target, Sources(packages=["pyarrow"]))
    pairs = list(itertools.pairwise(command))
    assert [value for flag, value in pairs if flag == "--platform"] == ["manylinux2014_x86_64"]
    assert ("--python-version", "3.7") in pairs and command[-1] == "pyarrow"


def test_a_missing_wheel_is_named_with_the_python_and_the_platforms() -> None:
    target = BuildTarget(python_runtime("eks", EMR_7), CpuArchitecture.AARCH64)
    output = (
        "ERROR: Could not find a version that satisfies the requirement x86only>=1 (from versions: none)\n"
        "ERROR: No matching distribution found for x86only>=1\n"
    )
    message = explain_pip_failure(output, target)
    assert message.startswith("no wheel of 'x86only' for CPython 3.9 on manylinux_2_28_aarch64 / manylinux2014_aarch64")


# ---- emrctl package ------------------------------------------------------------------------------------------------


def _package(emrctl: Callable[..., Result], wheelhouse: Path, *args: str) -> Result:
    return emrctl("--json", "package", *args, "--no-index", "--find-links", str(wheelhouse))


@pytest.mark.parametrize("runtime", ["serverless", "eks", "ec2"])
def test_package_uploads_and_prints_the_job_that_uses_it(
    emrctl: Callable[..., Result],
    client: Callable[[str], Any],
    wheelhouse: Path,
    project: Path,
    stacks: dict[str, str],
    runtime: str,
) -> None:
    # Given a requirements file naming a pure-Python and a binary package, When packaging for the stack's runtime,
    result = _package(
        emrctl,
        wheelhouse,
        *("--runtime", runtime, "--stack", stacks[runtime]),
        *("--requirements", str(project / "requirements.txt"), "--entry-point", str(project / "etl.py")),
    )
    assert result.code == 0, result.stderr
    out = result.json()
    # Then the archive is for CPython 3.9 on Graviton (a Serverless stack: its ARM64 application),
    assert (out["python_version"], out["architecture"]) == ("3.9", "aarch64")
    # with both packages at the top level (./deps/<package> once unpacked) and the newest aarch64 wheel of fastnum,
    with tarfile.open(out["archive"]) as tar:
        names = set(tar.getnames())
    assert {"purelib/__init__.py", "fastnum/__init__.py", "fastnum/_speedups.cpython-39-aarch64-linux-gnu.so"} <= names
    assert "fastnum-2.0.dist-info/METADATA" in names and not any("__pycache__" in n for n in names)
    # uploaded under the prefix the stack's runtime role may read,
    prefix = "artifacts/" if runtime == "ec2" else "scripts/"
    assert out["archive_uri"].startswith(f"s3://{BUCKET}/{prefix}etl/python-deps-cp39-aarch64-")
    assert out["entry_point_uri"] == f"s3://{BUCKET}/{prefix}etl/etl.py"
    s3 = client("s3")
    for uri in (out["archive_uri"], out["entry_point_uri"]):
        s3.head_object(Bucket=BUCKET, Key=uri.removeprefix(f"s3://{BUCKET}/"))
    # and the printed job carries the archive and the PYTHONPATH of the runtime's driver and executors.
    parameters = out["spark_submit_parameters"]
    confs = _confs(parameters)
    driver_env = {
        "serverless": "spark.emr-serverless.driverEnv",
        "eks": "spark.kubernetes.driverEnv",
        "ec2": "spark.yarn.appMasterEnv",
    }[runtime]
    archive = f"{out['archive_uri']}#deps"
    assert (confs.get("spark.archives") if runtime != "ec2" else _flag(parameters, "--archives")) == archive
    assert confs[f"{driver_env}.PYTHONPATH"] == "./deps" and confs["spark.executorEnv.PYTHONPATH"] == "./deps"
    assert out["spec"]["python_dependencies"] == out["archive_uri"]
    assert f"--python-dependencies {out['archive_uri']}" in out["submit"]


def test_the_printed_submit_runs_and_the_job_run_carries_the_archive(
    emrctl: Callable[..., Result],
    client: Callable[[str], Any],
    wheelhouse: Path,
    project: Path,
    stacks: dict[str, str],
    world: dict[str, str],
) -> None:
    # Given a package built and uploaded for the Serverless stack, When submitting with --python-dependencies,
    built = _package(
        emrctl,
        wheelhouse,
        *("--runtime", "serverless", "--stack", stacks["serverless"], "--package", "purelib", "--name", "etl-run"),
    )
    assert built.code == 0, built.stderr
    archive = built.json()["archive_uri"]
    submitted = emrctl(
        "--json",
        "serverless",
        "submit",
        *("--target", stacks["app_id"], "--role", world["role_arn"], "--name", "etl-run"),
        *("--entry-point", f"s3://{BUCKET}/scripts/etl-run/etl.py", "--python-dependencies", archive),
    )
    assert submitted.code == 0, submitted.stderr
    # Then the job run's request carries the archive and the PYTHONPATH confs.
    run = client("emr-serverless").get_job_run(applicationId=stacks["app_id"], jobRunId=submitted.json()["id"])
    parameters = run["jobRun"]["jobDriver"]["sparkSubmit"]["sparkSubmitParameters"]
    confs = _confs(parameters)
    assert confs["spark.archives"] == f"{archive}#deps"
    assert confs["spark.emr-serverless.driverEnv.PYTHONPATH"] == "./deps"


def test_a_package_without_a_wheel_for_the_target_fails_naming_it(
    emrctl: Callable[..., Result], wheelhouse: Path
) -> None:
    # Given a package with an x86_64 wheel only, When packaging for Graviton, Then exit 2 names it and the target.
    result = _package(emrctl, wheelhouse, "--runtime", "serverless", "--package", "x86only", "--dry-run")
    assert result.code == 2
    assert "no wheel of 'x86only' for CPython 3.9 on manylinux_2_28_aarch64 / manylinux2014_aarch64" in result.stderr, (
        result.stderr
    )
    # And the same package builds for x86_64.
    ok = _package(
        emrctl, wheelhouse, "--runtime", "serverless", "--package", "x86only", "--arch", "x86_64", "--dry-run"
    )
    assert ok.code == 0, ok.stderr
    assert ok.json()["platforms"] == ["manylinux_2_28_x86_64", "manylinux2014_x86_64"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--runtime", "eks"), "--requirements FILE and/or --package NAME"),
        (("--runtime", "eks", "--package", "purelib"), "--stack or --bucket"),
        (("--runtime", "eks", "--package", "purelib", "--python-version", "3"), "--python-version: got '3'"),
        (("--runtime", "eks", "--package", "purelib", "--arch", "sparc", "--dry-run"), "allowed: aarch64"),
        (("--runtime", "ec2", "--package", "purelib", "--release-label", "emr-5.36.2", "--dry-run"), "no known Python"),
    ],
)
def test_usage_errors_exit_2(
    emrctl: Callable[..., Result], wheelhouse: Path, args: tuple[str, ...], message: str
) -> None:
    result = _package(emrctl, wheelhouse, *args)
    assert result.code == 2 and message in result.stderr, result.stderr


def test_the_spec_file_takes_python_dependencies(tmp_path: Path) -> None:
    path = tmp_path / "job.json"
    uri = f"s3://{BUCKET}/scripts/etl/python-deps.tar.gz"
    path.write_text(json.dumps({"name": "etl", "entry_point": "s3://b/etl.py", "python_dependencies": uri}))
    assert load_spec(str(path)).fields["python_dependencies"] == uri


def test_the_stacks_let_the_runtime_role_read_the_upload_prefix() -> None:
    # The prefix emrctl package uploads to is one the stack grants its runtime role read access to.
    from emr_constructs.core.outputs import EMRCTL_READS
    from stacks import emr_ec2_stack, emr_eks_stack, emr_serverless_stack

    prefixes = {
        "ec2": emr_ec2_stack.DATA_PREFIXES["artifacts"],
        "serverless": emr_serverless_stack.DATA_PREFIXES["scripts"],
        "eks": emr_eks_stack.DATA_PREFIXES["scripts"],
    }
    assert {runtime: reads.job_files_prefix for runtime, reads in EMRCTL_READS.items()} == prefixes


class _FakeServerless:
    """GetApplication with an architecture (moto's application has none): the one call the reading needs."""

    def get_application(self, applicationId: str) -> dict[str, Any]:
        return {"application": {"applicationId": applicationId, "releaseLabel": "emr-6.15.0", "architecture": "X86_64"}}


class _FakeContext:
    def client(self, service: str) -> Any:
        assert service == "emr-serverless"
        return _FakeServerless()


def test_a_serverless_stack_gives_its_applications_release_and_architecture() -> None:
    from emr_constructs.ops.package import _release_and_architecture

    outputs = {"ApplicationId": "00fabc", "DataBucket": BUCKET}
    release, arch, source = _release_and_architecture(_FakeContext(), "serverless", outputs, None, None)  # type: ignore[arg-type]
    assert (release.label, arch, source) == ("emr-6.15.0", CpuArchitecture.X86_64, "application 00fabc")
    # Options win over the application.
    release, arch, source = _release_and_architecture(
        _FakeContext(),  # type: ignore[arg-type]
        "serverless",
        outputs,
        "emr-7.5.0",
        "aarch64",
    )
    assert (release.label, arch, source) == ("emr-7.5.0", CpuArchitecture.AARCH64, "--arch")


def test_an_ec2_stack_gives_its_clusters_cpu(emrctl: Callable[..., Result], wheelhouse: Path, stacks: dict) -> None:
    # Given the stack's cluster on x86 instance types (m7i, m6a), Then the archive is for x86_64 without --arch.
    x86 = _package(
        emrctl, wheelhouse, "--runtime", "ec2", "--stack", "Emr-pkg-Ec2-x86", "--package", "purelib", "--dry-run"
    )
    assert x86.code == 0, x86.stderr
    assert x86.json()["architecture"] == "x86_64"
    # And a cluster that mixes Graviton and x86 asks for --arch.
    mixed = _package(emrctl, wheelhouse, "--runtime", "ec2", "--stack", "Emr-pkg-Ec2-mixed", "--package", "purelib")
    assert (
        mixed.code == 2 and "has Graviton and x86 instance types (m5.xlarge, m7g.xlarge): pass --arch" in mixed.stderr
    )
