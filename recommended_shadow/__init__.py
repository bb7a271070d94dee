"""Turn a completed SageMaker Inference Recommender job into a shadow test.

`python -m recommended_shadow JOB --endpoint-name NAME --output FILE` reads the job and the
endpoint through SageMaker's public API (boto3, with the AWS CLI's --region, --profile and
--endpoint-url), chooses one recommendation by a stated rule, and writes a CloudFormation
template (or a parameter file for examples/recommended-shadow.yaml) that shadow-tests the
recommended instance type against the endpoint's current production variant.
Nothing here depends on the provider's Lambda package or on the sandbox.
"""
