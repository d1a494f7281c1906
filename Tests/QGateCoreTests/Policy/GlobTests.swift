import Testing

@testable import QGateCore

/// What a glob matches: `*` within a segment, `**` across segments (and `**/` zero of them),
/// `?` one character, `[…]` a class. The matcher changed from recursion to an automaton; these
/// pin the meaning it must keep.
struct GlobTests {
    @Test(arguments: [
        ("**/*_test.py", "a_test.py", true), ("**/*_test.py", "pkg/sub/a_test.py", true),
        ("**/*_test.py", "pkg/a_test.pyc", false), ("tests/**", "tests/a/b.py", true), ("tests/**", "src/a.py", false),
        ("*.py", "a.py", true), ("*.py", "pkg/a.py", false), ("src/*/x.py", "src/a/x.py", true),
        ("src/*/x.py", "src/a/b/x.py", false), ("a?c", "abc", true), ("a?c", "a/c", false), ("[ab]x", "bx", true),
        ("[!ab]x", "bx", false), ("[!ab]x", "cx", true), ("CVE-*", "CVE-2020-1", true), ("B101", "B101", true),
        ("B101", "B1011", false), ("**", "", true), ("*", "", true), ("a**b", "a/x/b", true), ("**/Dockerfile", "Dockerfile", true),
        ("**/Dockerfile", "x/Dockerfile", true), ("**/Dockerfile", "xDockerfile", true), ("", "", true), ("", "a", false),
    ])
    func matches(pattern: String, path: String, expected: Bool) throws {
        #expect(try Glob(pattern).matches(path) == expected, "\(pattern) vs \(path)")
    }

    @Test func anUnclosedClassIsASyntaxError() {
        #expect(throws: Glob.SyntaxError.self) { try Glob("a[bc") }
    }
}
