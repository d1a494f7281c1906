import Foundation
import Testing

@testable import QGateCore

struct MarkdownEscaperTests {
    static let wj = "\u{2060}"

    static let cases: [(input: String, expected: String)] = [
        ("plain text 123", "plain text 123"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;"),
        ("</details>", "&lt;/details&gt;"),
        ("<!-- qgate:summary -->", "&lt;\\!-- qgate:summary --&gt;"),
        ("| a | b |", "&#124; a &#124; b &#124;"),
        ("a&b", "a&amp;b"),
        ("&#124;", "&amp;\\#\(wj)124;"),
        ("@org/team", "@\(wj)org/team"),
        ("mail me @ home", "mail me @ home"),
        ("fixes #123", "fixes \\#\(wj)123"),
        ("# heading", "\\# heading"),
        ("[click](https://evil.example)", "\\[click\\]\\(https:\(wj)//evil.example\\)"),
        ("![x](y)", "\\!\\[x\\]\\(y\\)"),
        ("see www.evil.example", "see www\(wj).evil.example"),
        ("WWW.EVIL", "WWW\(wj).EVIL"),
        ("```js", "\\`\\`\\`js"),
        ("*bold* _it_ ~~s~~", "\\*bold\\* \\_it\\_ \\~\\~s\\~\\~"),
        ("a\\b", "a\\\\b"),
        ("$x$", "\\$x\\$"),
        ("line1\r\nline2\u{2028}x\u{2029}y\u{85}z\tw", "line1  line2 x y z w"),
        ("a\u{0}b\u{1B}[31mc\u{7F}\u{9B}d", "ab\\[31mcd"),
        ("abc\u{202E}fed", "abcU+202Efed"),
        ("\u{200E}\u{200F}\u{061C}\u{2066}\u{2069}\u{202A}", "U+200EU+200FU+061CU+2066U+2069U+202A"),
        ("ok 👍🏽 café", "ok 👍🏽 café"),
        ("tests/test_a.py::test_b[1-2]", "tests/test\\_a.py::test\\_b\\[1-2\\]"),
    ]

    @Test(arguments: cases)
    func escapes(input: String, expected: String) {
        #expect(MarkdownEscaper.escape(input) == expected)
    }

    @Test func cutsByCharacterBeforeEscaping() {
        #expect(MarkdownEscaper.escape("abcdef", limit: 3) == "abc…")
        #expect(MarkdownEscaper.escape("abc", limit: 3) == "abc")
        #expect(MarkdownEscaper.escape("ab<de", limit: 3) == "ab&lt;…")
        #expect(MarkdownEscaper.escape("e\u{301}e\u{301}e\u{301}", limit: 2) == "e\u{301}e\u{301}…")
        #expect(MarkdownEscaper.escape("👨‍👩‍👧x", limit: 1) == "👨‍👩‍👧…")
        #expect(MarkdownEscaper.escape("abc", limit: 0) == "…")
    }

    @Test func boundsAHugeString() {
        let huge = String(repeating: "<a>", count: 3_500_000)
        let escaped = MarkdownEscaper.escape(huge)
        #expect(escaped.count <= MarkdownEscaper.defaultLimit * 4 + 1)
        #expect(escaped.hasSuffix("…"))
        #expect(!escaped.contains("<"))
    }

    @Test(arguments: [
        ("prod", "prod"), ("my policy/v2", "my-policy-v2"), ("a-->b", "a---b"), ("", "default"),
        ("rel_1.2", "rel_1.2"), ("évian", "-vian"),
    ])
    func identifiers(input: String, expected: String) {
        #expect(MarkdownEscaper.identifier(input) == expected)
    }
}
