import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { selfSignedCertificate } from "./support/cert.js";

// The TLS tests' certificate is written in DER by hand with a random serial number: every draw must
// encode (a serial with a needless leading zero byte failed about once in 256, and took a CI run down).
describe("the tests' self-signed certificate", () => {
  it("is valid DER and verifies, whatever serial number it draws", () => {
    for (let i = 0; i < 1500; i++) {
      const { cert } = selfSignedCertificate();
      const parsed = new X509Certificate(cert);
      expect(parsed.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
      expect(Number.parseInt(parsed.serialNumber, 16)).toBeGreaterThan(0);
    }
  });
});
