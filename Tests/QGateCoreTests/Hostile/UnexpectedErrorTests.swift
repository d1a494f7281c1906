import Foundation
import Testing

@testable import QGateCore

/// Issue #9.9: an error no layer describes exits 2 with one sentence, never 1 with nothing.
struct UnexpectedErrorTests {
    struct Oddity: Error, CustomStringConvertible {
        var description: String { "the disk said\nsomething odd" }
    }

    struct Nameless: Error, CustomStringConvertible {
        var description: String { "" }
    }

    @Test func anUnexpectedErrorIsOneSentenceNamingWhatFailed() {
        let text = UnexpectedFailure(Oddity()).description
        #expect(text.hasPrefix("error: qgate failed unexpectedly (the disk said something odd)"))
        #expect(!text.contains("\n"))
        #expect(UnexpectedFailure(Nameless()).description.contains("Nameless"))
    }

    @Test(.enabled(if: CLI.available, "build the qgate binary first"))
    func pruneOfAStoreThatCannotBeCompactedStillExitsTwoWithAMessage() throws {
        let scene = try HostileScene()
        defer { scene.remove() }
        #expect(try scene.ingest().status == 0)
        // A reader holding a transaction open makes VACUUM/checkpoint fail after the delete.
        let script =
            "(echo 'BEGIN; SELECT count(*) FROM runs;'; sleep 4; echo 'COMMIT;') | sqlite3 '\(scene.db)' & sleep 1; QGATE_BUSY_TIMEOUT=1 \"$QGATE\" prune --db '\(scene.db)' --keep-last 1; echo \"status=$?\"; wait"
        let result = try HostileScene.shell(script, in: scene.directory, environment: ["QGATE": CLI.binary.path])
        #expect(!result.stdout.contains("status=1"), "\(result.stdout) \(result.stderr)")
        if result.stdout.contains("status=2") {
            #expect(result.stderr.contains("error:"), "\(result.stderr)")
        }
    }
}
