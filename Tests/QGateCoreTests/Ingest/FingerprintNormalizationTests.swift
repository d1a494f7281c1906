import Testing

@testable import QGateCore

/// The byte-level fast paths of the fingerprint's text normalisation must give exactly what
/// the `Character`-based definitions give, or every stored fingerprint would silently change.
struct FingerprintNormalizationTests {
    static func referenceNormalizeSource(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    static func referenceMaskNumbers(_ text: String) -> String {
        var out = ""
        var inNumber = false
        for ch in text {
            if ch.isASCII && ch.isNumber {
                if !inNumber { out.append("#") }
                inNumber = true
            } else {
                out.append(ch)
                inNumber = false
            }
        }
        return out
    }

    @Test(arguments: [
        "", " ", "x = eval(data)", "  x  =\teval(data)  ", "a\nb", "a\rb", "a\r\nb", "a \r\n b", "a\r\r\nb",
        "\r\n", "\r\n\r\n x", "x\r", "line 12 col 7: 3.14 x2", "007abc99", "tabs\t\t\tand   spaces\n",
        "é 12 ü", "١٢٣ arabic digits 45", "1\u{301}2", "CVE-2024-1 \n\t 22",
    ])
    func fastPathsMatchTheDefinitions(_ text: String) {
        #expect(FingerprintRecipe.normalizeSource(text) == Self.referenceNormalizeSource(text))
        #expect(FingerprintRecipe.maskNumbers(text) == Self.referenceMaskNumbers(text))
        #expect(FingerprintRecipe.normalizedMessage(text) == Self.referenceMaskNumbers(Self.referenceNormalizeSource(text)))
    }

    @Test(arguments: [
        ("CVE-1", true), ("cve-1", true), ("Cve-", true), ("CVE", false), ("CVEX", false), ("GHSA-x", false),
        ("ｃve-1", false), ("", false),
    ])
    func advisoryPrefixIgnoresCase(_ id: String, _ isCVE: Bool) {
        #expect(FingerprintRecipe.hasPrefixIgnoringASCIICase(id, "CVE-") == isCVE)
        #expect(FingerprintRecipe.hasPrefixIgnoringASCIICase(id, "CVE-") == id.uppercased().hasPrefix("CVE-"))
    }
}
