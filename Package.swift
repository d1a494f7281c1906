// swift-tools-version:6.1
import Foundation
import PackageDescription

let package = Package(
    name: "qgate",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "qgate", targets: ["qgate"]),
        .library(name: "QGateCore", targets: ["QGateCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Tests only: property-based tests of the JSON readers.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "QGateCore",
            dependencies: [
                "CLibXML2",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "qgate",
            dependencies: [
                "QGateCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "QGateCoreTests",
            dependencies: [
                "QGateCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Golden")]
        ),
    ]
)

// `make fuzz` only (scripts/fuzz.sh sets QGATE_FUZZ=1 and builds each product with
// -sanitize=fuzzer,address): one libFuzzer executable per parser. libFuzzer provides main(), so
// the targets are libraries in form (-parse-as-library) that define LLVMFuzzerTestOneInput.
if ProcessInfo.processInfo.environment["QGATE_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["QGateCore"], path: "Fuzz/Sources/FuzzSupport"))
    for parser in ["junit", "cobertura", "sarif", "bandit", "safety", "detect"] {
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(parser)",
                dependencies: ["FuzzSupport"],
                path: "Fuzz/Sources/fuzz-\(parser)",
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]
            ))
    }
}
