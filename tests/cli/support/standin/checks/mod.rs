//! The stand-in checked with real SDKs' requests: the AWS SDK for Rust (`aws-sdk-sts`,
//! `aws-sdk-iam`, built explicitly: static credentials, a region, the stand-in as endpoint) and
//! botocore (boto3 in a python3 subprocess). Each check is a case AWS documents: accepted where
//! AWS accepts, refused where AWS refuses, with the SDK reporting AWS's code and message.

mod botocore;
mod rust_sdk;
