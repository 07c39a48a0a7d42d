'use strict';
// Custom resource Custom::EmrTlsCertificate: writes a new self-signed certificate zip to S3 (SSE-KMS) on Create and
// on Update, and deletes it on Delete only when asked to (DeleteOnRemoval, set by the construct's removal policy).
// The private key exists only in this function's memory and in the encrypted S3 object: it is never logged, never
// returned to CloudFormation (Data holds the URI, serial, expiry and fingerprint only).
// Protocol: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html

const https = require('node:https');
const { certificateBundle } = require('./certificate');

function s3Client() {
  const { S3Client, PutObjectCommand, DeleteObjectCommand } = require('@aws-sdk/client-s3'); // in the Lambda runtime
  const client = new S3Client({});
  return {
    put: (params) => client.send(new PutObjectCommand(params)),
    delete: (params) => client.send(new DeleteObjectCommand(params)),
  };
}

function parseS3Uri(uri) {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri || '');
  return match ? { Bucket: match[1], Key: match[2] } : undefined;
}

function sendResponse(event, response) {
  const body = JSON.stringify(response);
  const url = new URL(event.ResponseURL);
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

// The properties the certificate and its object are made from; any other change (DeleteOnRemoval) keeps both.
const CERTIFICATE_PROPERTIES = ['BucketName', 'ObjectKey', 'KmsKeyArn', 'DnsNames', 'ValidityDays', 'RsaKeySize'];

function certificateChanged(before, after) {
  return CERTIFICATE_PROPERTIES.some((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

/** Handle one CloudFormation request; ``s3`` and ``respond`` are injectable for tests. */
async function handle(event, context, { s3 = s3Client(), respond = sendResponse } = {}) {
  const reply = (status, physicalId, data, reason) =>
    respond(event, {
      Status: status,
      Reason: reason || `See CloudWatch Logs: ${context.logGroupName} ${context.logStreamName}`,
      PhysicalResourceId: physicalId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      Data: data,
    });
  const props = event.ResourceProperties || {};
  console.log(JSON.stringify({ requestType: event.RequestType, logicalId: event.LogicalResourceId }));
  try {
    if (event.RequestType === 'Delete') {
      const object = parseS3Uri(event.PhysicalResourceId); // absent when the Create failed
      if (object && props.DeleteOnRemoval === 'true') {
        try {
          await s3.delete(object);
        } catch (err) {
          console.log(`Leaving ${event.PhysicalResourceId}: ${err.name}`); // never block a stack deletion
        }
      }
      return await reply('SUCCESS', event.PhysicalResourceId, {});
    }
    const uri = `s3://${props.BucketName}/${props.ObjectKey}`;
    if (event.RequestType === 'Update' && !certificateChanged(event.OldResourceProperties || {}, props)) {
      // E.g. only DeleteOnRemoval changed: keep the certificate that running nodes already trust.
      return await reply('SUCCESS', event.PhysicalResourceId, { CertificateS3Uri: uri });
    }
    const { zip, facts } = certificateBundle({
      dnsNames: props.DnsNames,
      validityDays: Number(props.ValidityDays),
      keySize: Number(props.RsaKeySize),
    });
    await s3.put({
      Bucket: props.BucketName,
      Key: props.ObjectKey,
      Body: zip,
      ContentType: 'application/zip',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: props.KmsKeyArn,
    });
    console.log(JSON.stringify({ written: uri, serialNumber: facts.serialNumber, notAfter: facts.notAfter }));
    return await reply('SUCCESS', uri, {
      CertificateS3Uri: uri,
      SerialNumber: facts.serialNumber,
      NotAfter: facts.notAfter,
      Sha256Fingerprint: facts.sha256Fingerprint,
    });
  } catch (err) {
    console.log(`Failed: ${err.name}: ${err.message}`);
    const physicalId = event.PhysicalResourceId || `failed-${event.RequestId}`;
    return reply('FAILED', physicalId, {}, `${err.name}: ${err.message}`.slice(0, 1000));
  }
}

exports.handle = handle;
exports.handler = (event, context) => handle(event, context);
