using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.RegularExpressions;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Studies;

/// <summary>What every file of a bundle shares: its name, the identifier rule, strict UTF-8 and JSON, and the way a
/// JSON problem is placed on a line. Partial only for the generated regular expressions.</summary>
static partial class BundleSyntax
{
    internal const string StudyFile = "study.json", CasesFile = "cases.jsonl", ResponsesFile = "responses.jsonl", RatingsFile = "ratings.csv",
        VotesFile = "votes.csv";
    internal static readonly Message IdRule = new("Bundle_IdRule");

    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,64}\z")]
    internal static partial Regex IdPattern();

    [GeneratedRegex(@"\A#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})\z")]
    internal static partial Regex ColorPattern();

    [GeneratedRegex(@"\A[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\z")]
    internal static partial Regex LanguagePattern();

    /// <summary>An ISO-8601 instant with its time zone (ratings.csv's timestamps), e.g. 2026-03-01T14:05:00.1234567Z.</summary>
    [GeneratedRegex(@"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,7})?(?:Z|[+-][0-9]{2}:[0-9]{2})\z")]
    internal static partial Regex TimestampPattern();

    internal static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    internal static bool IsIdentifier(string? value) => value is not null && IdPattern().IsMatch(value);

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A file's UTF-8 text without its byte-order mark, checked without decoding it. Invalid bytes are reported
    /// (the first, with its line and offset) and read as U+FFFD, so that the rest of the file is still checked.</summary>
    internal static ReadOnlyMemory<byte> Utf8Text(string name, byte[] bytes, BundleReport report)
    {
        var bom = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var data = bytes.AsMemory(bom);
        if (Utf8.IsValid(data.Span)) return data;
        var offset = 0;
        try
        {
            StrictUtf8.GetString(data.Span); // throws, with the first invalid byte's index
        }
        catch (DecoderFallbackException e)
        {
            offset = Math.Clamp(e.Index, 0, data.Length);
        }
        var line = data.Span[..offset].Count((byte)'\n') + 1;
        report.Error(name, line, "encoding", new Message("Bundle_InvalidUtf8", offset + bom));
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(data.Span));
    }

    /// <summary>The 1-based line and the message for malformed JSON, which quotes System.Text.Json's own (English) text.
    /// System.Text.Json gives no position for a duplicate key, so that one is looked up.</summary>
    internal static (int Line, Message Message) JsonProblem(JsonException e, string text)
    {
        if (e.LineNumber is null && JsonLineMap.FindDuplicateKey(Encoding.UTF8.GetBytes(text)) is { } duplicate)
            return (duplicate.Line, new Message("Bundle_JsonDuplicateKey", duplicate.Key));
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        message = message.Replace(" Change the reader options.", "", StringComparison.Ordinal).TrimEnd().TrimEnd('.');
        var line = (int)(e.LineNumber ?? 0);
        return (line + 1, e.BytePositionInLine is { } position
            ? new Message("Bundle_MalformedJsonAt", message, CharacterColumn(text, line, position))
            : new Message("Bundle_MalformedJson", message));
    }

    /// <summary>The 1-based column, in characters, of a byte position on a 0-based line (System.Text.Json counts
    /// UTF-8 bytes, which is not what a person sees in a line of Chinese text).</summary>
    static long CharacterColumn(string text, int line, long bytePosition)
    {
        var lineText = text.Split('\n').ElementAtOrDefault(line) ?? "";
        var bytes = Encoding.UTF8.GetBytes(lineText);
        return Encoding.UTF8.GetCharCount(bytes, 0, (int)Math.Clamp(bytePosition, 0, bytes.Length)) + 1;
    }

    internal static bool Flag(JsonElement parent, string name, string path, bool fallback, Action<string, Message> error)
    {
        if (!parent.TryGetProperty(name, out var value)) return fallback;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        error(path, new Message("Bundle_TrueOrFalse"));
        return fallback;
    }

    internal static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The value given, as JSON (a string with its quotes), or "nothing".</summary>
    internal static Message Describe(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? Message.Verbatim(value.GetRawText()) : new Message("Bundle_Nothing");
}
