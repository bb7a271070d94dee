# DO NOT modify this file by hand, changes will be overwritten
from dataclasses import dataclass

from cloudformation_cli_python_lib.interface import (
    BaseModel,
    BaseResourceHandlerRequest,
)
from cloudformation_cli_python_lib.recast import recast_object
from cloudformation_cli_python_lib.utils import deserialize_list

import sys
from inspect import getmembers, isclass
from typing import (
    AbstractSet,
    Any,
    Generic,
    Mapping,
    MutableMapping,
    Optional,
    Sequence,
    Type,
    TypeVar,
)

T = TypeVar("T")


def set_or_none(value: Optional[Sequence[T]]) -> Optional[AbstractSet[T]]:
    if value:
        return set(value)
    return None


@dataclass
class ResourceHandlerRequest(BaseResourceHandlerRequest):
    # pylint: disable=invalid-name
    desiredResourceState: Optional["ResourceModel"]
    previousResourceState: Optional["ResourceModel"]
    typeConfiguration: Optional["TypeConfigurationModel"]


@dataclass
class ResourceModel(BaseModel):
    Arn: Optional[str]
    CreationTime: Optional[str]
    DataStorageConfig: Optional["_DataStorageConfig"]
    Description: Optional[str]
    DesiredState: Optional[str]
    EndpointMetadata: Optional["_EndpointMetadata"]
    EndpointName: Optional[str]
    KmsKey: Optional[str]
    LastModifiedTime: Optional[str]
    ModelVariants: Optional[Sequence["_ModelVariantConfig"]]
    Name: Optional[str]
    RoleArn: Optional[str]
    Schedule: Optional["_InferenceExperimentSchedule"]
    ShadowModeConfig: Optional["_ShadowModeConfig"]
    Status: Optional[str]
    StatusReason: Optional[str]
    Tags: Optional[Sequence["_Tag"]]
    Type: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_ResourceModel"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_ResourceModel"]:
        if not json_data:
            return None
        dataclasses = {n: o for n, o in getmembers(sys.modules[__name__]) if isclass(o)}
        recast_object(cls, json_data, dataclasses)
        return cls(
            Arn=json_data.get("Arn"),
            CreationTime=json_data.get("CreationTime"),
            DataStorageConfig=DataStorageConfig._deserialize(json_data.get("DataStorageConfig")),
            Description=json_data.get("Description"),
            DesiredState=json_data.get("DesiredState"),
            EndpointMetadata=EndpointMetadata._deserialize(json_data.get("EndpointMetadata")),
            EndpointName=json_data.get("EndpointName"),
            KmsKey=json_data.get("KmsKey"),
            LastModifiedTime=json_data.get("LastModifiedTime"),
            ModelVariants=deserialize_list(json_data.get("ModelVariants"), ModelVariantConfig),
            Name=json_data.get("Name"),
            RoleArn=json_data.get("RoleArn"),
            Schedule=InferenceExperimentSchedule._deserialize(json_data.get("Schedule")),
            ShadowModeConfig=ShadowModeConfig._deserialize(json_data.get("ShadowModeConfig")),
            Status=json_data.get("Status"),
            StatusReason=json_data.get("StatusReason"),
            Tags=deserialize_list(json_data.get("Tags"), Tag),
            Type=json_data.get("Type"),
        )


# work around possible type aliasing issues when variable has same name as a model
_ResourceModel = ResourceModel


@dataclass
class DataStorageConfig(BaseModel):
    ContentType: Optional["_CaptureContentTypeHeader"]
    Destination: Optional[str]
    KmsKey: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_DataStorageConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_DataStorageConfig"]:
        if not json_data:
            return None
        return cls(
            ContentType=CaptureContentTypeHeader._deserialize(json_data.get("ContentType")),
            Destination=json_data.get("Destination"),
            KmsKey=json_data.get("KmsKey"),
        )


# work around possible type aliasing issues when variable has same name as a model
_DataStorageConfig = DataStorageConfig


@dataclass
class CaptureContentTypeHeader(BaseModel):
    CsvContentTypes: Optional[Sequence[str]]
    JsonContentTypes: Optional[Sequence[str]]

    @classmethod
    def _deserialize(
        cls: Type["_CaptureContentTypeHeader"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_CaptureContentTypeHeader"]:
        if not json_data:
            return None
        return cls(
            CsvContentTypes=json_data.get("CsvContentTypes"),
            JsonContentTypes=json_data.get("JsonContentTypes"),
        )


# work around possible type aliasing issues when variable has same name as a model
_CaptureContentTypeHeader = CaptureContentTypeHeader


@dataclass
class EndpointMetadata(BaseModel):
    EndpointConfigName: Optional[str]
    EndpointName: Optional[str]
    EndpointStatus: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_EndpointMetadata"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_EndpointMetadata"]:
        if not json_data:
            return None
        return cls(
            EndpointConfigName=json_data.get("EndpointConfigName"),
            EndpointName=json_data.get("EndpointName"),
            EndpointStatus=json_data.get("EndpointStatus"),
        )


# work around possible type aliasing issues when variable has same name as a model
_EndpointMetadata = EndpointMetadata


@dataclass
class ModelVariantConfig(BaseModel):
    InfrastructureConfig: Optional["_ModelInfrastructureConfig"]
    ModelName: Optional[str]
    VariantName: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_ModelVariantConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_ModelVariantConfig"]:
        if not json_data:
            return None
        return cls(
            InfrastructureConfig=ModelInfrastructureConfig._deserialize(json_data.get("InfrastructureConfig")),
            ModelName=json_data.get("ModelName"),
            VariantName=json_data.get("VariantName"),
        )


# work around possible type aliasing issues when variable has same name as a model
_ModelVariantConfig = ModelVariantConfig


@dataclass
class ModelInfrastructureConfig(BaseModel):
    InfrastructureType: Optional[str]
    RealTimeInferenceConfig: Optional["_RealTimeInferenceConfig"]

    @classmethod
    def _deserialize(
        cls: Type["_ModelInfrastructureConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_ModelInfrastructureConfig"]:
        if not json_data:
            return None
        return cls(
            InfrastructureType=json_data.get("InfrastructureType"),
            RealTimeInferenceConfig=RealTimeInferenceConfig._deserialize(json_data.get("RealTimeInferenceConfig")),
        )


# work around possible type aliasing issues when variable has same name as a model
_ModelInfrastructureConfig = ModelInfrastructureConfig


@dataclass
class RealTimeInferenceConfig(BaseModel):
    InstanceCount: Optional[int]
    InstanceType: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_RealTimeInferenceConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_RealTimeInferenceConfig"]:
        if not json_data:
            return None
        return cls(
            InstanceCount=json_data.get("InstanceCount"),
            InstanceType=json_data.get("InstanceType"),
        )


# work around possible type aliasing issues when variable has same name as a model
_RealTimeInferenceConfig = RealTimeInferenceConfig


@dataclass
class InferenceExperimentSchedule(BaseModel):
    EndTime: Optional[str]
    StartTime: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_InferenceExperimentSchedule"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_InferenceExperimentSchedule"]:
        if not json_data:
            return None
        return cls(
            EndTime=json_data.get("EndTime"),
            StartTime=json_data.get("StartTime"),
        )


# work around possible type aliasing issues when variable has same name as a model
_InferenceExperimentSchedule = InferenceExperimentSchedule


@dataclass
class ShadowModeConfig(BaseModel):
    ShadowModelVariants: Optional[Sequence["_ShadowModelVariantConfig"]]
    SourceModelVariantName: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_ShadowModeConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_ShadowModeConfig"]:
        if not json_data:
            return None
        return cls(
            ShadowModelVariants=deserialize_list(json_data.get("ShadowModelVariants"), ShadowModelVariantConfig),
            SourceModelVariantName=json_data.get("SourceModelVariantName"),
        )


# work around possible type aliasing issues when variable has same name as a model
_ShadowModeConfig = ShadowModeConfig


@dataclass
class ShadowModelVariantConfig(BaseModel):
    SamplingPercentage: Optional[int]
    ShadowModelVariantName: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_ShadowModelVariantConfig"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_ShadowModelVariantConfig"]:
        if not json_data:
            return None
        return cls(
            SamplingPercentage=json_data.get("SamplingPercentage"),
            ShadowModelVariantName=json_data.get("ShadowModelVariantName"),
        )


# work around possible type aliasing issues when variable has same name as a model
_ShadowModelVariantConfig = ShadowModelVariantConfig


@dataclass
class Tag(BaseModel):
    Key: Optional[str]
    Value: Optional[str]

    @classmethod
    def _deserialize(
        cls: Type["_Tag"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_Tag"]:
        if not json_data:
            return None
        return cls(
            Key=json_data.get("Key"),
            Value=json_data.get("Value"),
        )


# work around possible type aliasing issues when variable has same name as a model
_Tag = Tag


@dataclass
class TypeConfigurationModel(BaseModel):

    @classmethod
    def _deserialize(
        cls: Type["_TypeConfigurationModel"],
        json_data: Optional[Mapping[str, Any]],
    ) -> Optional["_TypeConfigurationModel"]:
        if not json_data:
            return None
        return cls(
        )


# work around possible type aliasing issues when variable has same name as a model
_TypeConfigurationModel = TypeConfigurationModel


