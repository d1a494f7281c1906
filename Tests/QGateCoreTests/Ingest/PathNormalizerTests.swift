import Foundation
import QGateCore
import Testing

@Suite struct PathNormalizerTests {
    @Test(arguments: [
        ("./pkg/a.py", "pkg/a.py"),
        (".\\pkg\\a.py", "pkg/a.py"),
        ("dojo/benchmark\\views.py", "dojo/benchmark/views.py"),
        ("/home/runner/work/proj/proj/src/a.py", "src/a.py"),
        ("/builds/group/proj/src/a.py", "src/a.py"),
        ("/var/lib/jenkins/workspace/job-name/src/a.py", "src/a.py"),
        ("file:///home/runner/work/proj/proj/src/my%20file.py", "src/my file.py"),
        ("file:///C:/code/file1.c", "C:/code/file1.c"),
        ("pkg//a.py", "pkg/a.py"),
    ])
    func normalizes(_ raw: String, _ expected: String) {
        #expect(PathNormalizer(repositoryRoot: nil).normalize(raw) == expected)
    }

    @Test func relativizesAgainstTheRepositoryRootAndCIWorkspaces() throws {
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("pkg"), withIntermediateDirectories: true)
        try Data().write(to: root.appendingPathComponent("pkg/a.py"))
        let paths = PathNormalizer(repositoryRoot: root, environment: ["CI_PROJECT_DIR": "/ci/checkout"])
        #expect(paths.normalize(root.path + "/pkg/a.py") == "pkg/a.py")
        #expect(paths.normalize("/ci/checkout/pkg/b.py") == "pkg/b.py")
        // An absolute path from another machine resolves to the longest tail that exists here.
        #expect(paths.normalize("/tmp/elsewhere/project/pkg/a.py") == "pkg/a.py")
        #expect(paths.normalize("a.py", under: "/tmp/elsewhere/project/pkg") == "pkg/a.py")
        #expect(paths.exists("pkg/a.py"))
        #expect(!paths.exists("pkg/missing.py"))
    }
}
