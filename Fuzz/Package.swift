// swift-tools-version:6.1
// libFuzzer targets for qgate's parsers, one executable per parser. Not part of the main
// package: built only by `make fuzz` (scripts/fuzz.sh), with
//   swift build --package-path Fuzz --scratch-path .build-fuzz -c release --sanitize fuzzer --sanitize address
import PackageDescription

let parsers = ["junit", "cobertura", "sarif", "bandit", "safety", "detect"]

let package = Package(
    name: "qgate-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "qgate", path: ".."),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "QGateCore", package: "qgate")]
        ),
    ] + parsers.map { parser in
        .executableTarget(
            name: "fuzz-\(parser)",
            dependencies: ["FuzzSupport"],
            path: "Sources/fuzz-\(parser)",
            // libFuzzer provides main(); the target only defines LLVMFuzzerTestOneInput.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    }
)
