"""The deploy-time handler of ``EmrTlsCertificate``: the certificate it builds and the zip EMR reads.

AWS rules encoded here (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-encryption-certificates):
- The zip holds PEM files named exactly ``privateKey.pem`` and ``certificateChain.pem``, and ``trustedCertificates.pem``
  when the certificate is not signed by a CA that Java trusts by default (a self-signed one is not).
- The certificate should be a wildcard of the domain the cluster's instances live in: ``CN=*.ec2.internal`` in
  us-east-1, ``*.<region>.compute.internal`` elsewhere (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-naming.html).
- A custom resource answers CloudFormation with a JSON document PUT to the pre-signed ``ResponseURL``; what it puts in
  ``Data`` is readable with ``Fn::GetAtt``, so no secret may go there.
  See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html

The handler runs in Node.js; these tests run it with the local ``node`` and read its output with ``cryptography``,
``openssl`` and a JVM (EMR's applications are Java: they build their key and trust stores from these files).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from emr_constructs.cluster.tls import HANDLER_DIR

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")
EXPECTED_FILES = ["privateKey.pem", "certificateChain.pem", "trustedCertificates.pem"]


def _node(script: str) -> Any:
    """Run ``script`` with the handler directory as ``H``; it prints one JSON value."""
    prelude = f"const H = {json.dumps(str(HANDLER_DIR))};\n"
    done = subprocess.run([NODE, "-e", prelude + script], capture_output=True, text=True, timeout=120, check=False)  # type: ignore[list-item]
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _bundle(dns_names: list[str], validity_days: int = 730, key_size: int = 2048, now: str | None = None) -> dict:
    options = {"dnsNames": dns_names, "validityDays": validity_days, "keySize": key_size}
    when = f"new Date({json.dumps(now)})" if now else "new Date()"
    return _node(
        f"const {{ certificateBundle }} = require(H + '/certificate.js');\n"
        f"const o = {json.dumps(options)}; o.now = {when};\n"
        "const { zip, facts } = certificateBundle(o);\n"
        "console.log(JSON.stringify({ zip: zip.toString('base64'), facts }));"
    )


@pytest.fixture(scope="module")
def us_east_1() -> dict[str, Any]:
    """A default bundle for a us-east-1 cluster, unpacked: file name -> bytes, plus the facts the handler returns."""
    out = _bundle(["*.ec2.internal"])
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(out["zip"])))
    assert archive.testzip() is None  # every member's CRC-32 checks out
    return {"names": archive.namelist(), "files": {n: archive.read(n) for n in archive.namelist()}, **out["facts"]}


def _certificate(files: dict[str, bytes]) -> x509.Certificate:
    return x509.load_pem_x509_certificate(files["certificateChain.pem"])


def test_the_zip_holds_exactly_the_three_pem_files_emr_expects(us_east_1: dict) -> None:
    assert sorted(us_east_1["names"]) == sorted(EXPECTED_FILES)
    files = us_east_1["files"]
    assert files["privateKey.pem"].startswith(b"-----BEGIN PRIVATE KEY-----")
    assert files["certificateChain.pem"].startswith(b"-----BEGIN CERTIFICATE-----")
    # Self-signed: the certificate is also the trust anchor the nodes must be given.
    assert files["trustedCertificates.pem"] == files["certificateChain.pem"]


def test_the_certificate_is_a_wildcard_of_the_region_internal_domain(us_east_1: dict) -> None:
    cert = _certificate(us_east_1["files"])
    assert cert.version is x509.Version.v3
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "*.ec2.internal"
    san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    assert san.get_values_for_type(x509.DNSName) == ["*.ec2.internal"]


def test_the_certificate_is_self_signed_with_the_zipped_private_key(us_east_1: dict) -> None:
    files = us_east_1["files"]
    cert = _certificate(files)
    key = serialization.load_pem_private_key(files["privateKey.pem"], password=None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()  # type: ignore[union-attr]
    assert cert.issuer == cert.subject
    cert.verify_directly_issued_by(cert)  # raises unless the signature verifies with its own key
    assert cert.signature_hash_algorithm is not None and cert.signature_hash_algorithm.name == "sha256"
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert ski == x509.SubjectKeyIdentifier.from_public_key(cert.public_key())  # type: ignore[arg-type]


def test_validity_starts_now_and_lasts_the_requested_days(us_east_1: dict) -> None:
    cert = _certificate(us_east_1["files"])
    now = dt.datetime.now(dt.UTC)
    assert now - dt.timedelta(minutes=10) < cert.not_valid_before_utc <= now
    assert cert.not_valid_after_utc - now == pytest.approx(dt.timedelta(days=730), abs=dt.timedelta(minutes=5))
    assert cert.not_valid_after_utc.isoformat(timespec="seconds").startswith(us_east_1["notAfter"][:19])


def test_the_facts_returned_to_cloudformation_are_public_and_match_the_certificate(us_east_1: dict) -> None:
    cert = _certificate(us_east_1["files"])
    assert set(us_east_1) - {"names", "files"} == {"serialNumber", "notAfter", "sha256Fingerprint"}
    assert int(us_east_1["serialNumber"], 16) == cert.serial_number > 0
    assert us_east_1["sha256Fingerprint"] == cert.fingerprint(hashes.SHA256()).hex().upper()


def test_other_regions_names_key_sizes_and_dates_after_2049() -> None:
    names = ["*.eu-west-1.compute.internal", "*.corp.example.com"]
    out = _bundle(names, validity_days=3650, key_size=3072, now="2049-06-01T00:00:00Z")
    files = {n: zipfile.ZipFile(io.BytesIO(base64.b64decode(out["zip"]))).read(n) for n in EXPECTED_FILES}
    cert = _certificate(files)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == names[0]
    san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    assert san.get_values_for_type(x509.DNSName) == names
    assert cert.public_key().key_size == 3072  # type: ignore[union-attr]
    assert cert.not_valid_after_utc.year == 2059  # GeneralizedTime from 2050 (RFC 5280 4.1.2.5)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"dnsNames": [], "validityDays": 1, "keySize": 2048}, "DnsNames: at least one"),
        ({"dnsNames": ["*.EC2.internal"], "validityDays": 1, "keySize": 2048}, "must be a DNS name"),
        ({"dnsNames": ["*.ec2.internal"], "validityDays": 0, "keySize": 2048}, "ValidityDays: got 0"),
        ({"dnsNames": ["*.ec2.internal"], "validityDays": 30, "keySize": 1024}, "RsaKeySize: got 1024"),
    ],
)
def test_bad_options_fail_with_the_property_name(options: dict, message: str) -> None:
    out = _node(
        "const { certificateBundle } = require(H + '/certificate.js');\n"
        f"try {{ certificateBundle({json.dumps(options)}); console.log('null'); }}\n"
        "catch (e) { console.log(JSON.stringify(e.message)); }"
    )
    assert out is not None and message in out


# ---- OpenSSL and Java accept it ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unpacked(us_east_1: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("certs")
    for name, data in us_east_1["files"].items():
        (directory / name).write_bytes(data)
    return directory


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
@pytest.mark.parametrize(
    ("host", "matches"), [("ip-10-0-1-23.ec2.internal", True), ("ip-10-0-1-23.example.com", False)]
)
def test_openssl_verifies_the_chain_and_the_node_host_names(unpacked: Path, host: str, matches: bool) -> None:
    verify = ["openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", "trustedCertificates.pem"]
    assert (
        subprocess.run([*verify, "certificateChain.pem"], cwd=unpacked, capture_output=True, check=False).returncode
        == 0
    )
    check = subprocess.run(
        ["openssl", "x509", "-in", "certificateChain.pem", "-noout", "-checkhost", host],
        cwd=unpacked,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ("does match" in check.stdout) is matches


JAVA_HANDSHAKE = """
import java.io.*; import java.net.*; import java.nio.file.*; import java.security.*; import java.security.cert.*;
import java.security.spec.PKCS8EncodedKeySpec; import java.util.Base64; import javax.net.ssl.*;

// Loads the zip's PEM files into a key store and a trust store as a JVM service would, and runs a mutual TLS
// handshake on the loopback interface with HTTPS host name verification against the given node name.
public class Handshake {
  static byte[] der(Path p) throws IOException {
    return Base64.getDecoder().decode(Files.readString(p).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\\\s", ""));
  }
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]); String host = args[1]; String protocol = args[2];
    char[] pw = "changeit".toCharArray();
    PKCS8EncodedKeySpec pkcs8 = new PKCS8EncodedKeySpec(der(dir.resolve("privateKey.pem")));
    PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(pkcs8);
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    java.security.cert.Certificate[] chain;
    try (InputStream in = Files.newInputStream(dir.resolve("certificateChain.pem"))) {
      chain = cf.generateCertificates(in).toArray(new java.security.cert.Certificate[0]);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12"); keys.load(null, null); keys.setKeyEntry("node", key, pw, chain);
    KeyStore trust = KeyStore.getInstance("PKCS12"); trust.load(null, null);
    try (InputStream in = Files.newInputStream(dir.resolve("trustedCertificates.pem"))) {
      int i = 0;
      for (java.security.cert.Certificate c : cf.generateCertificates(in)) trust.setCertificateEntry("ca" + i++, c);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX"); kmf.init(keys, pw);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX"); tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, loopback);
    server.setNeedClientAuth(true); server.setEnabledProtocols(new String[] {protocol});
    Thread accept = new Thread(() -> {
      try (SSLSocket s = (SSLSocket) server.accept()) {
        s.getOutputStream().write(42); s.getOutputStream().flush(); s.getInputStream().read();
      }
      catch (IOException e) { }
    });
    accept.start();
    Socket raw = new Socket(loopback, server.getLocalPort());
    SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket(raw, host, server.getLocalPort(), true);
    SSLParameters params = client.getSSLParameters(); params.setEndpointIdentificationAlgorithm("HTTPS");
    params.setProtocols(new String[] {protocol}); client.setSSLParameters(params);
    client.startHandshake();
    int value = client.getInputStream().read(); client.getOutputStream().write(1); client.close();
    System.out.println(client.getSession().getProtocol() + " " + value);
  }
}
"""


@pytest.mark.skipif(shutil.which("java") is None, reason="java is not installed")
@pytest.mark.parametrize(
    ("host", "protocol", "ok"),
    [
        ("ip-10-0-1-23.ec2.internal", "TLSv1.3", True),
        ("ip-10-0-1-23.ec2.internal", "TLSv1.2", True),
        ("ip-10-0-1-23.us-west-2.compute.internal", "TLSv1.3", False),
    ],
)
def test_a_jvm_completes_mutual_tls_with_host_name_verification(
    unpacked: Path, tmp_path: Path, host: str, protocol: str, ok: bool
) -> None:
    source = tmp_path / "Handshake.java"
    source.write_text(JAVA_HANDSHAKE)
    done = subprocess.run(
        ["java", str(source), str(unpacked), host, protocol], capture_output=True, text=True, timeout=120, check=False
    )
    if ok:
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == [protocol, "42"]
    else:
        assert done.returncode != 0
        assert "No subject alternative DNS name matching" in done.stderr


# ---- the CloudFormation protocol -----------------------------------------------------------------------------------

HANDLE = """
const { handle } = require(H + '/index.js');
const calls = [];
const s3 = {
  put: async (p) => {
    if (process.env.FAIL_PUT) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    calls.push({ put: { ...p, Body: p.Body.length } });
  },
  delete: async (p) => { calls.push({ delete: p }); },
};
const responses = [];
const respond = async (event, body) => { responses.push(JSON.parse(JSON.stringify(body))); };
const context = { logGroupName: 'g', logStreamName: 's' };
const props = {
  BucketName: 'data-bucket', ObjectKey: 'tls/emr-certificates.zip',
  KmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/k',
  DnsNames: ['*.ec2.internal'], ValidityDays: '730', RsaKeySize: '2048', DeleteOnRemoval: process.env.DELETE || 'false',
};
const event = {
  RequestType: process.env.TYPE, ResourceProperties: props, StackId: 'stack', RequestId: 'req',
  LogicalResourceId: 'Cert',
  ResponseURL: 'https://example.invalid/', PhysicalResourceId: process.env.PHYSICAL,
  OldResourceProperties: process.env.OLD ? { ...props, ...JSON.parse(process.env.OLD) } : undefined,
};
handle(event, context, { s3, respond }).then(() => console.log(JSON.stringify({ calls, responses })));
"""


def _handle(monkeypatch: pytest.MonkeyPatch, request_type: str, **env: str) -> dict:
    monkeypatch.setenv("TYPE", request_type)
    for name in ("PHYSICAL", "DELETE", "FAIL_PUT", "OLD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out: dict = _node(HANDLE)
    return out


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_create_and_update_write_a_new_zip_with_sse_kms_and_answer_without_secrets(
    monkeypatch: pytest.MonkeyPatch, request_type: str
) -> None:
    out = _handle(monkeypatch, request_type, PHYSICAL="s3://data-bucket/tls/emr-certificates.zip")
    (call,) = out["calls"]
    put = call["put"]
    assert (put["Bucket"], put["Key"]) == ("data-bucket", "tls/emr-certificates.zip")
    assert put["ServerSideEncryption"] == "aws:kms" and put["SSEKMSKeyId"] == "arn:aws:kms:us-east-1:111111111111:key/k"
    assert put["Body"] > 0
    (response,) = out["responses"]
    assert response["Status"] == "SUCCESS"
    assert response["PhysicalResourceId"] == "s3://data-bucket/tls/emr-certificates.zip"
    assert set(response["Data"]) == {"CertificateS3Uri", "SerialNumber", "NotAfter", "Sha256Fingerprint"}
    assert "PRIVATE KEY" not in json.dumps(out) and "BEGIN" not in json.dumps(response)


@pytest.mark.parametrize(
    ("old", "written"),
    [
        ({"DeleteOnRemoval": "true"}, False),  # only the removal policy changed
        ({"ValidityDays": "365"}, True),
        ({"DnsNames": ["*.eu-west-1.compute.internal"]}, True),
    ],
)
def test_an_update_writes_a_new_certificate_only_when_the_certificate_changes(
    monkeypatch: pytest.MonkeyPatch, old: dict, written: bool
) -> None:
    """Nodes that join a running cluster get the zip of the moment: keep the key pair unless it must change."""
    uri = "s3://data-bucket/tls/emr-certificates.zip"
    out = _handle(monkeypatch, "Update", PHYSICAL=uri, OLD=json.dumps(old))
    assert bool(out["calls"]) is written
    (response,) = out["responses"]
    assert (response["Status"], response["PhysicalResourceId"]) == ("SUCCESS", uri)
    assert response["Data"]["CertificateS3Uri"] == uri  # Fn::GetAtt still resolves after a no-op update


@pytest.mark.parametrize(
    ("delete_on_removal", "physical_id", "deleted"),
    [
        ("false", "s3://data-bucket/tls/emr-certificates.zip", False),  # RETAIN: data stays
        ("true", "s3://data-bucket/tls/emr-certificates.zip", True),  # DESTROY
        ("true", "failed-req", False),  # the Create failed: nothing was written
    ],
)
def test_delete_removes_the_object_only_when_destroy_was_chosen(
    monkeypatch: pytest.MonkeyPatch, delete_on_removal: str, physical_id: str, deleted: bool
) -> None:
    out = _handle(monkeypatch, "Delete", PHYSICAL=physical_id, DELETE=delete_on_removal)
    expected = [{"delete": {"Bucket": "data-bucket", "Key": "tls/emr-certificates.zip"}}] if deleted else []
    assert out["calls"] == expected
    assert [r["Status"] for r in out["responses"]] == ["SUCCESS"]
    assert out["responses"][0]["PhysicalResourceId"] == physical_id


def test_a_failed_write_is_reported_to_cloudformation(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _handle(monkeypatch, "Create", FAIL_PUT="1")
    (response,) = out["responses"]
    assert response["Status"] == "FAILED"
    assert response["Reason"] == "AccessDenied: Access Denied"
    assert response["PhysicalResourceId"] == "failed-req"
