"""``emrctl package``: build a PySpark dependency archive for the Python and the CPU of the runtime that will run the
job, upload it with the entry point to the stack's data bucket, and print the job that uses them.

Without Docker: ``pip install --target DIR --implementation cp --python-version X.Y --only-binary=:all:`` with one
``--platform`` per manylinux family the runtime's glibc loads (``manylinux_2_28_<arch>`` and
``manylinux2014_<arch>`` on EMR 7.x: with only one of them pip silently picks older versions of packages that publish
only the other). A ``--target`` tree is not a virtualenv: the job keeps the runtime's ``python3`` and puts the unpacked
archive on ``PYTHONPATH`` (``SparkJob.python_dependencies``). A package without a wheel for that Python and platform
cannot be installed this way (pip would have to build it for another machine): the error names it.

stdlib and boto3 only (no aws_cdk): the CLI must start in well under a second.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from emr_constructs.core.outputs import EMRCTL_READS
from emr_constructs.core.python_runtimes import (
    DEFAULT_ARCHITECTURE,
    RUNTIMES,
    CpuArchitecture,
    PythonRuntime,
    python_runtime,
)
from emr_constructs.core.releases import (
    DEFAULT_EC2_RELEASE_LABEL,
    DEFAULT_EKS_RELEASE_LABEL,
    DEFAULT_SERVERLESS_RELEASE_LABEL,
    ReleaseLabel,
)
from emr_constructs.jobs.spec import SparkJob
from emr_constructs.ops.common import EXIT_USAGE, Context, Failure, aws_errors, stack_value

DEFAULT_RELEASE = {
    "serverless": DEFAULT_SERVERLESS_RELEASE_LABEL,
    "ec2": DEFAULT_EC2_RELEASE_LABEL,
    "eks": DEFAULT_EKS_RELEASE_LABEL,
}
"""The release a job runs on when neither ``--release-label`` nor the stack says: core's default per runtime."""
_PYTHON_VERSION = re.compile(r"3\.[0-9]{1,2}")
_NO_DISTRIBUTION = re.compile(r"No matching distribution found for (?P<requirement>\S+)")
_NOT_SATISFIED = re.compile(r"Could not find a version that satisfies the requirement (?P<requirement>\S+)")
_GRAVITON_FAMILY = re.compile(r"[a-z]+[0-9]+g")
"""EC2 instance families with a ``g`` (AWS Graviton) after the generation: m7g, c6gn, r8gd, im4gn.
See: https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html"""


class PackagingError(Exception):
    """pip could not build the tree (a package without a matching wheel, a conflict, no index)."""


@dataclass(frozen=True)
class BuildTarget:
    """What the archive is built for: the runtime's Python and the wheel platforms of its CPU and glibc."""

    python: PythonRuntime
    architecture: CpuArchitecture

    @property
    def platforms(self) -> tuple[str, ...]:
        return self.python.platforms(self.architecture)

    def describe(self) -> str:
        return f"CPython {self.python.python_version} on {' / '.join(self.platforms)}"


@dataclass(frozen=True)
class Sources:
    """Where the packages come from: requirement files, requirement specifiers, and pip's index options."""

    requirements: Sequence[str] = ()
    packages: Sequence[str] = ()
    index_url: str | None = None
    find_links: Sequence[str] = ()
    no_index: bool = False


def pip_command(target_dir: Path, target: BuildTarget, sources: Sources, python: str = sys.executable) -> list[str]:
    """The ``pip install --target`` command line that installs ``sources`` for ``target`` into ``target_dir``."""
    command = [python, "-m", "pip", "install", "--target", str(target_dir)]
    command += ["--implementation", "cp", "--python-version", target.python.python_version, "--only-binary=:all:"]
    for platform in target.platforms:
        command += ["--platform", platform]
    # .pyc files would be compiled by this interpreter, for another Python: leave them out.
    command += ["--no-compile", "--disable-pip-version-check", "--no-input", "--no-warn-script-location"]
    if sources.index_url:
        command += ["--index-url", sources.index_url]
    for location in sources.find_links:
        command += ["--find-links", location]
    if sources.no_index:
        command.append("--no-index")
    for requirements in sources.requirements:
        command += ["--requirement", requirements]
    return [*command, *sources.packages]


def explain_pip_failure(output: str, target: BuildTarget) -> str:
    """One line for a failed ``pip install``: the package without a wheel for ``target`` when that is the cause."""
    found = _NO_DISTRIBUTION.search(output) or _NOT_SATISFIED.search(output)
    if found:
        name = re.split(r"[<>=!~;\[(, ]", found.group("requirement"), maxsplit=1)[0]
        return (
            f"no wheel of {name!r} for {target.describe()} (pip: no matching distribution). emrctl package installs "
            "wheels only, without Docker: pin a version of it that publishes such a wheel, or build the wheel for "
            "this platform and pass its directory with --find-links"
        )
    errors = [line.strip() for line in output.splitlines() if line.strip().startswith("ERROR:")]
    return "pip install failed: " + (" ".join(errors[-3:]) or output.strip()[-500:] or "no output")


def install(target_dir: Path, target: BuildTarget, sources: Sources, python: str = sys.executable) -> None:
    """Install ``sources`` for ``target`` into ``target_dir``; ``PackagingError`` with the reason otherwise."""
    command = pip_command(target_dir, target, sources, python)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = done.stdout + "\n" + done.stderr
        if "No module named pip" in output:
            raise PackagingError(
                f"pip is not installed in emrctl's Python ({python}); install it (python -m ensurepip)"
            )
        raise PackagingError(explain_pip_failure(output, target))


def _without_bytecode(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    if "__pycache__" in Path(member.name).parts or member.name.endswith(".pyc"):
        return None
    member.uid = member.gid = 0
    member.uname = member.gname = ""
    member.mtime = 0
    return member


def write_archive(tree: Path, output: Path) -> str:
    """A reproducible ``.tar.gz`` of the files of ``tree``, at the top level of the archive (``deps/<package>`` once
    unpacked); returns its SHA-256."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped:
        with tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for path in sorted(tree.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=path.relative_to(tree).as_posix(), filter=_without_bytecode)
    return hashlib.sha256(output.read_bytes()).hexdigest()


def build(output: Path, target: BuildTarget, sources: Sources, python: str = sys.executable) -> str:
    """Install and archive ``sources`` for ``target`` into ``output``; returns the archive's SHA-256."""
    with tempfile.TemporaryDirectory(prefix="emrctl-package-") as work:
        tree = Path(work) / "deps"
        install(tree, target, sources, python)
        if not tree.is_dir() or not any(tree.iterdir()):
            raise PackagingError("pip installed nothing: give --requirements FILE or --package NAME")
        return write_archive(tree, output)


# ---- the command ---------------------------------------------------------------------------------------------------


def cluster_architecture(emr: Any, cluster: dict[str, Any]) -> CpuArchitecture | None:
    """The CPU of an EMR on EC2 cluster (``DescribeCluster``'s ``Cluster``) from the instance types of its instance
    groups or fleets; ``None`` when it lists none. A cluster mixing Graviton and x86 types is a usage error."""
    if cluster.get("InstanceCollectionType") == "INSTANCE_FLEET":
        pages = emr.get_paginator("list_instance_fleets").paginate(ClusterId=cluster["Id"])
        types = [s["InstanceType"] for p in pages for f in p["InstanceFleets"] for s in f["InstanceTypeSpecifications"]]
    else:
        pages = emr.get_paginator("list_instance_groups").paginate(ClusterId=cluster["Id"])
        types = [group["InstanceType"] for page in pages for group in page["InstanceGroups"]]
    found = {
        CpuArchitecture.AARCH64 if _GRAVITON_FAMILY.match(t.split(".", 1)[0]) else CpuArchitecture.X86_64 for t in types
    }
    if len(found) > 1:
        raise Failure(
            EXIT_USAGE,
            f"cluster {cluster['Id']} has Graviton and x86 instance types ({', '.join(sorted(set(types)))}): "
            "pass --arch",
        )
    return found.pop() if found else None


def _release_and_architecture(
    ctx: Context, runtime: str, outputs: dict[str, str], release_label: str | None, architecture: str | None
) -> tuple[ReleaseLabel, CpuArchitecture, str]:
    """The release and CPU of the runtime: the options, else what the stack's runtime says (a Serverless
    application's release and architecture, a cluster's release and instance types, the EKS stack's release label),
    else core's defaults (Graviton). Returns where the architecture came from too."""
    reads = EMRCTL_READS[runtime]
    target = stack_value(outputs, reads.target)
    label, arch, arch_source = release_label, architecture, "--arch"
    if target and runtime == "serverless":
        application = ctx.client("emr-serverless").get_application(applicationId=target)["application"]
        label = label or application.get("releaseLabel")
        if not arch and application.get("architecture"):  # GetApplication returns it; moto leaves it out
            arch, arch_source = application["architecture"], f"application {target}"
    elif target and runtime == "ec2" and not (label and arch):
        emr = ctx.client("emr")
        cluster = emr.describe_cluster(ClusterId=target)["Cluster"]
        label = label or cluster.get("ReleaseLabel")
        found = None if arch else cluster_architecture(emr, cluster)
        if found:
            arch, arch_source = found.value, f"cluster {target}"
    label = label or stack_value(outputs, reads.release_label) or DEFAULT_RELEASE[runtime].label
    if not arch:
        arch, arch_source = DEFAULT_ARCHITECTURE.value, "default (Graviton)"
    try:
        return ReleaseLabel.of(label, "--release-label"), CpuArchitecture.of(arch), arch_source
    except ValueError as err:
        raise Failure(EXIT_USAGE, str(err)) from err


def _prefix(value: str) -> str:
    value = value.strip("/")
    return f"{value}/" if value else ""


def _job_snippet(runtime: str, name: str, entry_point_uri: str, archive_uri: str) -> tuple[dict[str, str], str]:
    """The spec (``--spec`` keys) of a job that uses the uploads, and its spark-submit parameters on ``runtime``."""
    job = SparkJob(name=name, entry_point=entry_point_uri, python_dependencies=archive_uri)
    spec = {"name": name, "entry_point": entry_point_uri, "python_dependencies": archive_uri}
    return spec, shlex.join(job.spark_submit_parameters(runtime=runtime))


@click.command(name="package")
@click.option("--runtime", type=click.Choice(RUNTIMES), required=True, help="Where the job runs.")
@click.option(
    "--release-label",
    help="The job's EMR release. Default: the stack's (Serverless application, cluster, EKS stack), else the library "
    "default of the runtime.",
)
@click.option(
    "--arch",
    "architecture",
    help="aarch64 (ARM64, Graviton) or x86_64. Default: the stack's Serverless application or EC2 cluster instance "
    "types, else aarch64.",
)
@click.option("--python-version", help="X.Y of the job's Python. Default: the runtime's python3 for the release.")
@click.option(
    "--requirements", "-r", multiple=True, type=click.Path(exists=True, dir_okay=False), help="A requirements file."
)
@click.option("--package", "packages", multiple=True, help="A requirement such as 'pyarrow==17.0.0' (repeatable).")
@click.option("--entry-point", type=click.Path(exists=True, dir_okay=False), help="The job's script, uploaded too.")
@click.option("--name", help="The job's name and the folder of the uploads. Default: the entry point's file name.")
@click.option("--stack", help="Upload to this stack's data bucket, under the prefix its runtime role may read.")
@click.option("--bucket", help="Upload to this bucket instead of the stack's.")
@click.option("--prefix", help="Upload under this prefix instead of the stack's (EC2 artifacts/, else scripts/).")
@click.option("--output", type=click.Path(dir_okay=False), help="Where to write the archive. Default: a temp file.")
@click.option("--index-url", help="pip --index-url (a private index or mirror).")
@click.option("--find-links", multiple=True, help="pip --find-links: a directory or page of wheels (repeatable).")
@click.option("--no-index", is_flag=True, help="pip --no-index: use --find-links only (offline).")
@click.option("--dry-run", is_flag=True, help="Build the archive only; upload nothing.")
@click.pass_obj
def package(
    ctx: Context,
    runtime: str,
    release_label: str | None,
    architecture: str | None,
    python_version: str | None,
    requirements: tuple[str, ...],
    packages: tuple[str, ...],
    entry_point: str | None,
    name: str | None,
    stack: str | None,
    bucket: str | None,
    prefix: str | None,
    output: str | None,
    index_url: str | None,
    find_links: tuple[str, ...],
    no_index: bool,
    dry_run: bool,
) -> None:
    """Build a PySpark dependency archive for the runtime's Python and CPU (pip wheels, no Docker), upload it with
    the entry point to the stack's data bucket and print the job that uses them (exit 2 naming a package that has
    no wheel for the target)."""
    if not requirements and not packages:
        raise Failure(EXIT_USAGE, "name what to package: --requirements FILE and/or --package NAME")
    if python_version and not _PYTHON_VERSION.fullmatch(python_version):
        raise Failure(EXIT_USAGE, f"--python-version: got {python_version!r}; expected X.Y such as 3.9")
    with aws_errors():
        outputs = ctx.stack_outputs(stack) if stack else {}
        release, arch, arch_source = _release_and_architecture(ctx, runtime, outputs, release_label, architecture)
    try:
        python = python_runtime(runtime, release)
    except ValueError as err:
        if not python_version:
            raise Failure(EXIT_USAGE, str(err)) from err
        python = PythonRuntime(runtime, release, python_version, "unknown", (2, 17), assumed=True)
    if python_version:
        python = dataclasses.replace(python, python_version=python_version)
    elif python.assumed and not ctx.as_json:
        click.echo(
            f"note: the Python of {runtime} {release.label} is taken to be {python.python_version} (AWS documents it "
            "for EMR on EC2 only); pass --python-version if your image differs",
            err=True,
        )
    reads = EMRCTL_READS[runtime]
    bucket = bucket or stack_value(outputs, reads.data_bucket)
    if not bucket and not dry_run:
        raise Failure(EXIT_USAGE, "name where to upload: --stack or --bucket (or build only with --dry-run)")
    target = BuildTarget(python, arch)
    sources = Sources(requirements, packages, index_url, find_links, no_index)
    job_name = name or (Path(entry_point).stem if entry_point else "python-deps")
    file_name = f"python-deps-{python.abi}-{arch.value}.tar.gz"
    local = Path(output) if output else Path(tempfile.mkdtemp(prefix="emrctl-")) / file_name
    if not ctx.as_json:
        click.echo(f"building {local} for {target.describe()} ({runtime} {release.label}, {arch_source})", err=True)
    try:
        digest = build(local, target, sources)
    except PackagingError as err:
        if not output:
            shutil.rmtree(local.parent, ignore_errors=True)
        raise Failure(EXIT_USAGE, str(err)) from err
    result: dict[str, object] = {
        "runtime": runtime,
        "release_label": release.label,
        "python_version": python.python_version,
        "architecture": arch.value,
        "platforms": list(target.platforms),
        "archive": str(local),
        "sha256": digest,
    }
    if dry_run or not bucket:
        ctx.emit(result, f"built {local} for {target.describe()} (dry run: nothing uploaded)")
        return
    folder = _prefix(prefix if prefix is not None else reads.job_files_prefix) + job_name + "/"
    archive_key = f"{folder}{file_name.removesuffix('.tar.gz')}-{digest[:12]}.tar.gz"
    s3 = ctx.client("s3")
    with aws_errors():
        s3.upload_file(str(local), bucket, archive_key)
        archive_uri = f"s3://{bucket}/{archive_key}"
        entry_point_uri = f"s3://{bucket}/{folder}{Path(entry_point).name if entry_point else 'main.py'}"
        if entry_point:
            s3.upload_file(entry_point, bucket, f"{folder}{Path(entry_point).name}")
    spec, parameters = _job_snippet(runtime, job_name, entry_point_uri, archive_uri)
    stack_option = f" --stack {shlex.quote(stack)}" if stack else " --target TARGET"
    submit = (
        f"emrctl {runtime} submit{stack_option} --name {shlex.quote(job_name)} --entry-point {entry_point_uri} "
        f"--python-dependencies {archive_uri}"
    )
    result.update(
        {
            "archive_uri": archive_uri,
            "entry_point_uri": entry_point_uri if entry_point else None,
            "spec": spec,
            "submit": submit,
            "spark_submit_parameters": parameters,
        }
    )
    lines = [f"uploaded {archive_uri}"]
    uploaded = f"uploaded {entry_point_uri}"
    lines += [uploaded if entry_point else f"(no --entry-point: upload yours as {entry_point_uri})"]
    lines += ["", "submit it:", f"  {submit}", "", "or with --spec, the keys:", f"  {json.dumps(spec)}"]
    lines += ["", f"spark-submit parameters on {runtime}:", f"  {parameters}"]
    ctx.emit(result, "\n".join(lines))
