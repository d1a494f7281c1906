import ArgumentParser
import Foundation
import QGateCore

struct Flaky: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the tests the history says are flaky, or reset one.",
        discussion: """
            A test is flaky when it failed and passed on the same commit (other pipelines, retried or matrix jobs, \
            rerun markers), or when its outcome flips more than max_flips times over at least min_runs runs. A test \
            that always fails is broken, not flaky. It stops being flaky after heal_after consecutive passes (default 30) \
            or `qgate flaky --reset TEST`. Thresholds and the quarantine come from --policy (its `flaky:` and `quarantine:`).
            """
    )

    @Option(help: "Only runs of this branch.") var branch: String?
    @Option(help: "Only the newest N runs.") var last: Int?
    @Option(name: [.short, .long], help: "Output format.") var format: FlakyFormat = .table
    @Option(help: "A policy whose 'flaky:' thresholds and 'quarantine:' list apply.") var policy: String?
    @Option(help: "Forget TEST's flakiness so far (its id as listed); only later runs count for it.") var reset: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let last, last < 1 { throw ValidationError("--last must be at least 1.") }
        if reset != nil && (branch != nil || last != nil) { throw ValidationError("--reset takes no --branch or --last.") }
    }

    func run() async throws {
        let opened = try await store.open(create: false)
        if let reset {
            let after = try await opened.resetFlaky(test: reset, now: Date())
            Terminal.standardOutput.write("\(reset): flakiness reset; only runs after run \(after) count for it.\n")
            return
        }
        let loaded = try policy.map { try PolicyLoader.load(path: $0) }
        let today = CalendarDay.utc(Date())
        try await StoredNames.warn(branch: branch, in: opened)
        var tests = try await opened.flakyTests(FlakyWindow(branch: branch, last: last), policy: loaded?.flaky ?? FlakyPolicy())
        if let quarantine = loaded?.quarantine, !quarantine.isEmpty {
            tests = try await opened.markQuarantined(tests, quarantine.filter { !$0.isExpired(today: today) })
        }
        Terminal.standardOutput.write(try FlakyRenderer(tests).render(format))
    }
}

extension FlakyFormat: ExpressibleByArgument {}
