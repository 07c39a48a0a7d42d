'use strict';
// A self-signed X.509 v3 certificate and the zip that an EMR security configuration reads for in-transit
// encryption (privateKey.pem, certificateChain.pem, trustedCertificates.pem).
// See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-encryption-certificates
//
// Key generation and signing are Node.js crypto (OpenSSL); this file only lays out the DER structures of RFC 5280.

const crypto = require('node:crypto');
const zlib = require('node:zlib');

const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
};
const ORGANIZATION = 'emr-constructs self-signed';
const KEY_SIZES = [2048, 3072, 4096];
const DNS_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const CLOCK_SKEW_MS = 5 * 60 * 1000;

// ---- DER --------------------------------------------------------------------------------------------------------

function length(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag, content) {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items) => tlv(0x30, Buffer.concat(items));
const set = (...items) => tlv(0x31, Buffer.concat(items));
const explicit = (n, content) => tlv(0xa0 + n, content);
const octetString = (content) => tlv(0x04, content);
const bitString = (content, unusedBits = 0) => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
const utf8String = (text) => tlv(0x0c, Buffer.from(text, 'utf8'));
const booleanTrue = () => tlv(0x01, Buffer.from([0xff]));
const nullValue = () => Buffer.from([0x05, 0x00]);

function unsignedInteger(bytes) {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i += 1;
  const trimmed = bytes.subarray(i);
  return tlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function objectIdentifier(dotted) {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const base128 = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) base128.unshift(0x80 | (v & 0x7f));
    out.push(...base128);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(date) {
  // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

function extension(oid, critical, value) {
  return critical
    ? sequence(objectIdentifier(oid), booleanTrue(), octetString(value))
    : sequence(objectIdentifier(oid), octetString(value));
}

// ---- certificate ------------------------------------------------------------------------------------------------

function checkOptions({ dnsNames, validityDays, keySize }) {
  if (!Array.isArray(dnsNames) || dnsNames.length === 0) throw new Error('DnsNames: at least one DNS name is required');
  for (const name of dnsNames) {
    if (typeof name !== 'string' || !DNS_NAME.test(name) || name.length > 253) {
      throw new Error(`DnsNames: got ${JSON.stringify(name)}; must be a DNS name such as *.ec2.internal`);
    }
  }
  if (dnsNames[0].length > 64) throw new Error(`DnsNames: got ${dnsNames[0]}; the first name (the CN) is at most 64 characters`);
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > 3650) {
    throw new Error(`ValidityDays: got ${validityDays}; must be a whole number of days between 1 and 3650`);
  }
  if (!KEY_SIZES.includes(keySize)) throw new Error(`RsaKeySize: got ${keySize}; allowed: ${KEY_SIZES.join(', ')}`);
}

function pem(label, der) {
  const body = der.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/**
 * A self-signed certificate for ``dnsNames`` (CN = the first name, every name in the subjectAltName) with a new
 * RSA key. Returns the PEM texts and the public facts about the certificate (never the key in those facts).
 */
function selfSignedCertificate({ dnsNames, validityDays, keySize, now = new Date() }) {
  checkOptions({ dnsNames, validityDays, keySize });
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: keySize });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value, i.e. the PKCS#1 RSAPublicKey.
  const keyId = crypto.createHash('sha1').update(publicKey.export({ type: 'pkcs1', format: 'der' })).digest();
  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40; // positive, 16 significant bytes
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(now.getTime() + validityDays * 24 * 60 * 60 * 1000);
  const name = sequence(
    set(sequence(objectIdentifier(OID.organizationName), utf8String(ORGANIZATION))),
    set(sequence(objectIdentifier(OID.commonName), utf8String(dnsNames[0]))),
  );
  const algorithm = sequence(objectIdentifier(OID.sha256WithRSAEncryption), nullValue());
  // keyUsage digitalSignature(0), keyEncipherment(2), keyCertSign(5): 1010 0100, two unused trailing bits.
  const keyUsage = bitString(Buffer.from([0xa4]), 2);
  const subjectAltName = sequence(...dnsNames.map((dns) => tlv(0x82, Buffer.from(dns, 'ascii')))); // dNSName [2]
  const extensions = sequence(
    // The certificate is its own trust anchor (trustedCertificates.pem), as with `openssl req -x509`.
    extension(OID.basicConstraints, true, sequence(booleanTrue())),
    extension(OID.keyUsage, true, keyUsage),
    extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
    extension(OID.authorityKeyIdentifier, false, sequence(tlv(0x80, keyId))),
    extension(OID.subjectAltName, false, subjectAltName),
  );
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))), // v3
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    spki,
    explicit(3, extensions),
  );
  const signature = crypto.sign('sha256', tbs, privateKey); // RSASSA-PKCS1-v1_5
  const certificate = sequence(tbs, algorithm, bitString(signature));
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    certificatePem: pem('CERTIFICATE', certificate),
    serialNumber: serial.toString('hex').toUpperCase(),
    notAfter: notAfter.toISOString(),
    sha256Fingerprint: crypto.createHash('sha256').update(certificate).digest('hex').toUpperCase(),
  };
}

// ---- zip --------------------------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function dosDateTime(date) {
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  return { time, day };
}

/** A zip archive (deflate) of ``files``, an array of ``[name, text]``, as a Buffer. */
function zip(files, now = new Date()) {
  const { time, day } = dosDateTime(now);
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text, 'utf8');
    const packed = zlib.deflateRawSync(data);
    const fileName = Buffer.from(name, 'ascii');
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0); // version needed: 2.0 (deflate)
    common.writeUInt16LE(0, 2); // flags
    common.writeUInt16LE(8, 4); // method: deflate
    common.writeUInt16LE(time, 6);
    common.writeUInt16LE(day, 8);
    common.writeUInt32LE(crc32(data), 10);
    common.writeUInt32LE(packed.length, 14);
    common.writeUInt32LE(data.length, 18);
    common.writeUInt16LE(fileName.length, 22);
    common.writeUInt16LE(0, 24); // extra field length
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), common, fileName, packed]);
    const tail = Buffer.alloc(16);
    tail.writeUInt16LE(0, 0); // comment length
    tail.writeUInt16LE(0, 2); // disk number
    tail.writeUInt16LE(0, 4); // internal attributes
    tail.writeUInt32LE((0o100600 << 16) >>> 0, 6); // external attributes: a regular file, rw-------
    tail.writeUInt32LE(offset, 10);
    const madeBy = Buffer.alloc(2);
    madeBy.writeUInt16LE((3 << 8) | 20, 0); // Unix, 2.0
    centrals.push(Buffer.concat([Buffer.from([0x50, 0x4b, 0x01, 0x02]), madeBy, common, tail.subarray(0, 14), fileName]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The zip EMR expects, with a new self-signed certificate; returns ``{ zip, facts }`` (facts hold no secret). */
function certificateBundle(options) {
  const { privateKeyPem, certificatePem, ...facts } = selfSignedCertificate(options);
  const archive = zip(
    [
      ['privateKey.pem', privateKeyPem],
      ['certificateChain.pem', certificatePem],
      // Self-signed: the certificate is its own trust anchor, so nodes must be told to trust it.
      ['trustedCertificates.pem', certificatePem],
    ],
    options.now,
  );
  return { zip: archive, facts };
}

module.exports = { certificateBundle, selfSignedCertificate, zip, crc32 };
