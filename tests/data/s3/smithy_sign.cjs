// Signs requests with the AWS SDK's own SigV4 signer (@smithy/signature-v4) under the S3 rules
// (uriEscapePath: false, applyChecksum: true), for tst_s3_signing: reads
// {region, accessKeyId, secretKey, sessionToken, date, requests: [{method, url, headers}]} as JSON
// on stdin, prints the Authorization header of each request, one per line.
'use strict';
const { SignatureV4 } = require('@smithy/signature-v4');
const { Hash } = require('@smithy/hash-node');

let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', async () => {
  const job = JSON.parse(input);
  const signer = new SignatureV4({
    service: 's3',
    region: job.region,
    credentials: { accessKeyId: job.accessKeyId, secretAccessKey: job.secretKey,
      sessionToken: job.sessionToken || undefined },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
    applyChecksum: true,
  });
  for (const r of job.requests) {
    const url = new URL(r.url);
    const query = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const headers = {};
    for (const [k, v] of Object.entries(r.headers)) {
      const name = k.toLowerCase();
      if (name !== 'authorization' && name !== 'x-amz-date' && name !== 'x-amz-security-token') headers[name] = v;
    }
    const signed = await signer.sign({
      method: r.method, protocol: url.protocol, hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined, path: url.pathname, query, headers,
    }, { signingDate: new Date(job.date) });
    console.log(signed.headers.authorization);
  }
});
