import Foundation
import Testing

/// The golden-file helper itself: recording fails the test, a match passes, a mismatch fails.
struct GoldenTests {
    @Test func recordingWritesTheFileAndFailsTheTest() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        withKnownIssue("recording must fail the test") {
            try Golden.check("hello\n", against: "sample.txt", in: directory, record: true)
        }
        #expect(try String(contentsOf: directory.appendingPathComponent("sample.txt"), encoding: .utf8) == "hello\n")
        try Golden.check("hello\n", against: "sample.txt", in: directory, record: false)
        withKnownIssue("a mismatch fails") {
            try Golden.check("goodbye\n", against: "sample.txt", in: directory, record: false)
        }
    }
}
