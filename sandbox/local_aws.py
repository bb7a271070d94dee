"""Everything `python -m sandbox serve` answers on one port: the SageMaker emulator (with
the rest of moto), the Cloud Control API and the CloudFormation stack API, both driving
this project's handlers. Composed here, above every package it uses."""

from __future__ import annotations

from sandbox.cloudcontrol import CloudControlBackend, middleware
from sandbox.cloudcontrol.project import project_type
from sandbox.cloudformation.service.runner import HandlerRunner
from sandbox.cloudformation.wire.wsgi import StackEndpoint
from sandbox.server import EmulatorServer


class LocalAWS(EmulatorServer):
    """The emulator with Cloud Control in front of the stack API in front of moto: Cloud
    Control answers DescribeType for its types, every other CloudFormation call reaches the
    stack API. `time_scale` multiplies the callback delays both honour (1 = real time)."""

    def __init__(self, port: int = 0, time_scale: float = 1.0) -> None:
        self.cloud_control = CloudControlBackend(time_scale)
        self.stacks = HandlerRunner(time_scale)
        super().__init__(
            port, wrap=lambda app: middleware(StackEndpoint(app, self.stacks.provisioner), self.cloud_control)
        )
        self.cloud_control.register(project_type(self.url, time_scale))
        self.stacks.url = self.url

    def stop(self) -> None:
        super().stop()
        self.stacks.close()
