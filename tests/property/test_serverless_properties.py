"""EmrServerlessApplication over generated worker configurations, initial and maximum capacity and idle timeout."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_cdk import Duration, Stack
from hypothesis import given
from hypothesis import strategies as st

from emr_constructs import (
    EmrServerlessApplication,
    InitialCapacity,
    MaximumCapacity,
    WorkerConfiguration,
    WorkerType,
)
from tests.property.harness import ARABIC_INDIC_FOUR, Harness, V, bad, bounded, good, maybe, mix

# vCPU sizes 1/2/4/8/16, as ints or text; the memory range depends on the vCPU (maybe).
CPU = mix(
    maybe(st.sampled_from([1, 2, 4, 8, 16, "4 vCPU", "2 vcpu", " 2", "16", ARABIC_INDIC_FOUR])),
    bad(3, 0, 32, -1, "3 vCPU", "four", "", None, 2.0),
)
MEMORY = mix(
    maybe(st.integers(2, 120) | st.sampled_from(["16 GB", "8gb", " 4 ", "120 GB"])),
    bad(0, 1, 121, 500, "16 TB", "lots", None),
)
DISK = mix(
    good(st.sampled_from([None, "20 GB", "200 GB"]) | st.integers(20, 200).map(lambda n: f"{n} GB")),
    bad("19 GB", "201 GB", "0 GB", "20 TB", "twenty"),
)
WORKER_COUNT = mix(good(st.integers(1, 20)), bad(0, -1))
MAXIMUM = mix(maybe(st.integers(1, 400)), bad(0, -1))
MAXIMUM_OR_NONE = mix(MAXIMUM, maybe(st.none()), valid_in_ten=7)
IDLE_MINUTES = mix(good(st.sampled_from([1, 15, 10_080]) | st.integers(1, 10_080)), bad(0, 10_081))


def rendered_sizes(template: dict[str, Any]) -> list[str]:
    (application,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::EMRServerless::Application"]
    sizes = []
    for pair in application["Properties"].get("InitialCapacity", []):
        config = pair["Value"]["WorkerConfiguration"]
        sizes += [config["Cpu"], config["Memory"], config.get("Disk", "")]
    return sizes


def test_emr_serverless_application_synthesizes_or_rejects_the_prop(
    record_property: Callable[[str, object], None],
) -> None:
    harness = Harness("EmrServerlessApplication")

    @bounded(25)
    @given(
        cpu=CPU,
        memory=MEMORY,
        disk=DISK,
        worker_count=WORKER_COUNT,
        with_initial=st.booleans(),
        max_cpu=MAXIMUM_OR_NONE,
        max_memory=MAXIMUM,
        idle_minutes=IDLE_MINUTES,
    )
    def application(
        cpu: V, memory: V, disk: V, worker_count: V, with_initial: bool, max_cpu: V, max_memory: V, idle_minutes: V
    ) -> None:
        prop = "initial_capacity[0].worker_configuration"
        props = {"idle_timeout": idle_minutes}
        if with_initial:
            props |= {f"{prop}.cpu": cpu, f"{prop}.memory": memory, f"{prop}.disk": disk}
            props["initial_capacity[0].worker_count"] = worker_count
            # The maximum (given or the default) must hold the pre-initialized workers: depends on their sizes.
            props["maximum_capacity"] = V(None, None)
        if max_cpu.value is not None:
            props |= {"maximum_capacity.cpu_vcpu": max_cpu, "maximum_capacity.memory_gb": max_memory}

        def build(stack: Stack) -> None:
            initial = [
                InitialCapacity(
                    worker_type=WorkerType.SPARK_DRIVER,
                    worker_count=worker_count.value,
                    worker_configuration=WorkerConfiguration(cpu=cpu.value, memory=memory.value, disk=disk.value),
                )
            ]
            maximum = (
                None if max_cpu.value is None else MaximumCapacity(cpu_vcpu=max_cpu.value, memory_gb=max_memory.value)
            )
            EmrServerlessApplication(
                stack,
                "App",
                initial_capacity=initial if with_initial else (),
                maximum_capacity=maximum,
                idle_timeout=Duration.minutes(idle_minutes.value),
            )

        template = harness.check(props, build)
        if template is not None:
            # CloudFormation and the service read ASCII digits only: a size must not reach them in another script.
            assert all(size.isascii() for size in rendered_sizes(template)), rendered_sizes(template)

    application()
    harness.record(record_property)
