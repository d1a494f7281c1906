import ArgumentParser
import Foundation
import QGateCore

struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the runs in the store, newest first.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Only runs of this branch.") var branch: String?
    @Option(help: "At most this many runs.") var last: Int?
    @Option(name: [.short, .long], help: "Output format.") var format: ListingFormat = .table

    func run() async throws {
        let opened = try await store.openForReading()
        try await StoredNames.warn(branch: branch, in: opened)
        let listing = try await RunListing.load(from: opened, branch: branch, last: last)
        switch format {
        case .json: try JSONOutput.print(listing)
        case .table, .text: print(listing.table(), terminator: "")
        }
    }
}
