using GradeBench.Core.Messages;

namespace GradeBench.Core.Spans.Interchange;

/// <summary>A file that cannot be read, or annotations that cannot be written in an interchange format, printed as
/// <c>file:line: field: message</c> (without the line where the problem is not on one). <see cref="Text"/> is said in
/// each reader's language; the place is the file's own and never translated.</summary>
public sealed class InterchangeException(string file, int line, string field, Message text)
    : Exception(line > 0 ? $"{file}:{line}: {field}: {text}" : $"{file}: {field}: {text}")
{
    public string File { get; } = file;

    /// <summary>1-based; 0 where the problem is not on one line.</summary>
    public int Line { get; } = line;

    public string Field { get; } = field;

    public Message Text { get; } = text;
}
