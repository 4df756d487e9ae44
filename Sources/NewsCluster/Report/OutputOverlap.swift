import Foundation

/// Keeps the reports from destroying an input. Each run replaces its output directory whole, so
/// `cd corpus && newscluster cluster articles.jsonl --out .` would swap the corpus away for the
/// reports (one of which has the input's name). An output directory that is an input, holds an
/// input or lies inside an input directory is refused before any work.
enum OutputOverlap {
    /// Throws `ReportError.overlapsInput` for the first input the output directory would
    /// overwrite or be read as part of. Standard input and other streams have no path to
    /// protect and are skipped.
    static func check(
        output: String, inputs: [String], workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws {
        let out = resolved(output, from: workingDirectory)
        for input in inputs where input != "-" {
            var status = stat()
            let path = resolved(input, from: workingDirectory)
            guard stat(path, &status) == 0 else { continue }
            let kind = status.st_mode & S_IFMT
            guard kind == S_IFREG || kind == S_IFDIR else { continue }
            let isDirectory = kind == S_IFDIR
            if out == path || path.hasPrefix(out == "/" ? "/" : out + "/")
                || (isDirectory && out.hasPrefix(path == "/" ? "/" : path + "/")) {
                throw ReportError.overlapsInput(output: output, input: input, resolvedOutput: out, resolvedInput: path)
            }
        }
    }

    /// `path` made absolute (from `workingDirectory`) with symbolic links and `..` resolved as
    /// the kernel would: its longest existing prefix through `realpath`, the rest (which holds
    /// no links) by its components.
    static func resolved(_ path: String, from workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        var existing = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var rest: [String] = []
        while true {
            let prefix = "/" + existing.joined(separator: "/")
            if let real = realpath(prefix, nil) {
                defer { free(real) }
                var parts = String(cString: real).split(separator: "/").map(String.init)
                for part in rest {
                    switch part {
                    case ".": continue
                    case "..": if !parts.isEmpty { parts.removeLast() }
                    default: parts.append(part)
                    }
                }
                return "/" + parts.joined(separator: "/")
            }
            guard let last = existing.popLast() else { return absolute }
            rest.insert(last, at: 0)
        }
    }
}
