import Foundation
import Testing
@testable import NewsCluster

/// What a nightly job meets in its first month, run from a shell as a user would: each case
/// ends in a clear error or correct output, and no file outside `--out` changes.
@Suite("Runs that cannot lose data", .serialized)
struct RunSafetyTests {
    static let demo = Binary.packageRoot.path + "/Corpora/demo/articles.jsonl"

    /// Every file under `path` with its bytes, to compare before and after a run.
    static func snapshot(_ path: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: path) {
            var isDirectory: ObjCBool = false
            let full = path + "/" + name
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = FileManager.default.contents(atPath: full)
            }
        }
        return files
    }

    @Test func anOutputThatIsTheInputsFolderIsRefusedAndTheInputStays() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let corpus = dir.file("corpus")
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.demo, toPath: corpus + "/articles.jsonl")
        try FileManager.default.createSymbolicLink(atPath: dir.file("alias"), withDestinationPath: corpus)
        let before = try Self.snapshot(dir.path)
        // The report of the same name would have replaced the input.
        for (arguments, cwd) in [(["articles.jsonl", "--out", "."], corpus),
                                 (["corpus/articles.jsonl", "--out", "alias/../corpus/."], dir.path),
                                 (["corpus", "--out", "alias/reports"], dir.path)] {
            let result = try Binary.run(["cluster"] + arguments, in: cwd)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("--out \(arguments[2])") && result.stderr.contains("the input \(arguments[0])"),
                    "\(result.stderr)")
            #expect(!result.stderr.contains("read "), "the run should stop before reading")
        }
        #expect(try Self.snapshot(dir.path) == before)
    }

    @Test func anEmptyOrShrunkenNightLeavesTheStateAndReportsAsTheyWere() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let state = dir.file("state/news.sqlite"), out = dir.file("reports")
        let first = try Binary.run(["cluster", Self.demo, "--out", out, "--state", state, "--quiet"])
        try #require(first.status == 0, "\(first.stderr)")
        let storiesOfTheFirstNight = try Reports(directory: out).storyOf
        let lines = try String(contentsOfFile: Self.demo, encoding: .utf8).split(separator: "\n")
        try #require(lines.count == 60)
        let shrunken = try dir.write("shrunken.jsonl", "")
        try lines.prefix(20).joined(separator: "\n").write(toFile: shrunken, atomically: true, encoding: .utf8)
        let empty = try dir.write("empty.jsonl", "")
        // The state's lock file says which run held the state last; it is the one file a refused
        // run writes.
        var before = try Self.snapshot(dir.path)
        before["state/news.sqlite.lock"] = nil

        let smaller = try Binary.run(["cluster", shrunken, "--out", out, "--state", state])
        #expect(smaller.status == 5)
        #expect(smaller.stderr.contains("accepted 20 article(s), fewer than 50 % of the 60"), "\(smaller.stderr)")
        let nothing = try Binary.run(["cluster", empty, "--out", out, "--state", state, "--allow-shrink"])
        #expect(nothing.status == 5)
        #expect(nothing.stderr.contains("holds no record") && nothing.stderr.contains("--allow-empty"), "\(nothing.stderr)")
        var after = try Self.snapshot(dir.path)
        after["state/news.sqlite.lock"] = nil
        #expect(after == before)

        // The next full night finds every story under its id.
        let next = try Binary.run(["cluster", Self.demo, "--out", out, "--state", state, "--quiet"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try Reports(directory: out).storyOf == storiesOfTheFirstNight)
        // Asked for, a smaller night runs and its missing articles leave their stories.
        let allowed = try Binary.run(["cluster", shrunken, "--out", out, "--state", state, "--allow-shrink", "--quiet"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try Reports(directory: out).articles.count == 20)
        let lower = try Binary.run(["cluster", shrunken, "--out", out, "--state", state, "--min-share", "0.2", "--quiet"])
        #expect(lower.status == 0, "\(lower.stderr)")
    }

    @Test func aSecondRunOnAHeldStateFailsAtOnceNamingTheHolderOrWaitsForIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let state = dir.file("news.sqlite")
        // The test holds the state as a run would.
        var holder: RunLock? = try RunLock(guarding: state, isDirectory: false)
        let busy = try Binary.run(["cluster", Self.demo, "--out", dir.file("out"), "--state", state])
        #expect(busy.status == 6)
        // The holder's start is a UTC time of the form 2026-12-05T01:02:03Z, whatever year the
        // host's clock says (not a "20" prefix, which a clock at 1970 or past 2099 would break).
        let heldBy = "\(state) is in use by another newscluster run (pid \(getpid()), started "
        #expect(busy.stderr.contains(heldBy), "\(busy.stderr)")
        if let named = busy.stderr.range(of: heldBy) {
            let started = String(busy.stderr[named.upperBound...].prefix(20))
            #expect(ISO8601DateFormatter().date(from: started) != nil, "\(busy.stderr)")
        }
        #expect(busy.stderr.contains("--wait"))
        #expect(!busy.stderr.contains("read "), "the run should stop before reading")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")))
        #expect(!FileManager.default.fileExists(atPath: state))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["cluster", Self.demo, "--out", dir.file("out"), "--state", state, "--wait"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Let go once it says it waits: no sleep, whatever the host's speed.
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("waiting for the newscluster run") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said.append(chunk)
        }
        #expect(String(decoding: said, as: UTF8.self).contains("\(state): waiting for the newscluster run that holds it (pid \(getpid())"),
                "\(String(decoding: said, as: UTF8.self))")
        holder = nil
        said.append(err.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(String(decoding: said, as: UTF8.self))")
        #expect(try Reports(directory: dir.file("out")).articles.count == 60)
        #expect(holder == nil)
    }

    @Test func aSecondRunIntoAHeldOutputDirectoryFailsAtOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let out = dir.file("reports")
        let holder = try RunLock(guarding: out, isDirectory: true)
        let busy = try Binary.run(["cluster", Self.demo, "--out", out])
        #expect(busy.status == 6)
        #expect(busy.stderr.contains("\(out) is in use by another newscluster run (pid \(getpid())"), "\(busy.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "no staging directory is left")
        withExtendedLifetime(holder) {}
    }

    /// Mounts (or unmounts) a small tmpfs at `path`; false where this process may not.
    @discardableResult
    static func mountSmallDisk(at path: String, unmount: Bool = false) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: unmount ? "/bin/umount" : "/bin/mount")
        process.arguments = unmount ? [path] : ["-t", "tmpfs", "-o", "size=2m", "tmpfs", path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Root on a kernel that lets it mount a tmpfs (not every container does).
    static let canMountASmallDisk: Bool = {
        guard getuid() == 0, let dir = try? TemporaryDirectory() else { return false }
        defer { dir.remove() }
        guard mountSmallDisk(at: dir.path) else { return false }
        mountSmallDisk(at: dir.path, unmount: true)
        return true
    }()

    @Test(.enabled(if: canMountASmallDisk, "mounting a small file system needs root and the right to mount"))
    func aFullDiskKeepsThePreviousReportsAndSaysWhy() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let disk = dir.file("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try #require(Self.mountSmallDisk(at: disk))
        defer { Self.mountSmallDisk(at: disk, unmount: true) }
        let out = disk + "/reports"
        let first = try Binary.run(["cluster", Self.demo, "--out", out, "--quiet"])
        try #require(first.status == 0, "\(first.stderr)")
        let reports = try Self.snapshot(out)
        // Fill what is left of the disk.
        try #require(FileManager.default.createFile(atPath: disk + "/filler", contents: nil))
        let filler = try #require(FileHandle(forWritingAtPath: disk + "/filler"))
        let block = Data(repeating: 0x20, count: 64 << 10)
        while (try? filler.write(contentsOf: block)) != nil {}
        try? filler.close()

        let full = try Binary.run(["cluster", Self.demo, "--out", out, "--quiet"])
        #expect(full.status == 1)
        #expect(full.stderr.contains("No space left on device"), "\(full.stderr)")
        #expect(try Self.snapshot(out) == reports)
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk).sorted() == ["filler", "reports"])
    }
}
