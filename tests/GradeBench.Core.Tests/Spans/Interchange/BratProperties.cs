using FsCheck.Xunit;
using GradeBench.Core.Spans.Interchange;
using static GradeBench.Core.Tests.Spans.Interchange.InterchangeSamples;

namespace GradeBench.Core.Tests.Spans.Interchange;

/// <summary>Round trips through brat files on random notes: FsCheck draws the seed, the note is built from it so that a
/// failure replays.</summary>
public sealed class BratProperties
{
    /// <summary>Letters, CJK and astral characters (one code point, two UTF-16 units), tabs and spaces, and every kind
    /// of line break Python ends a line at (LF, CR, CRLF, VT, U+001E, NEL, U+2028).</summary>
    static readonly string[] Pieces = ["a", "b", " ", "\t", "\n", "\r", "\r\n", "\v", "\x1e", "\x85", "\u2028", "中", "文", "😷", "𝄞"];

    static readonly string[] Onsets = ["3h", "08:30", "昨晚"];

    /// <summary>A note of 0–24 pieces and 0–5 spans anywhere in it (empty ones, overlaps and repeats allowed), each a
    /// Symptom with random flags and onset, a History with or without its flag, or an NIHSS with or without a score.</summary>
    static AnnotatedDocument Note(int seed)
    {
        var random = new Random(seed);
        var text = string.Concat(Enumerable.Range(0, random.Next(0, 25)).Select(_ => Pieces[random.Next(Pieces.Length)]));
        var length = text.EnumerateRunes().Count();
        var spans = Enumerable.Range(0, random.Next(0, 6)).Select(_ =>
        {
            var start = random.Next(0, length + 1);
            var end = random.Next(start, length + 1);
            var attributes = new List<(string, string)>();
            var label = random.Next(3) switch { 0 => "Symptom", 1 => "History", _ => "NIHSS" };
            if (label != "NIHSS" && random.Next(2) == 0) attributes.Add(("Negated", NoteAnnotation.FlagSet));
            if (label == "Symptom" && random.Next(2) == 0) attributes.Add(("Uncertain", NoteAnnotation.FlagSet));
            if (label == "Symptom" && random.Next(2) == 0) attributes.Add(("Onset", Onsets[random.Next(Onsets.Length)]));
            if (label == "NIHSS" && random.Next(4) > 0) attributes.Add(("Score", random.Next(0, 43).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return Span(label, start, end, null, [.. attributes]);
        });
        return new AnnotatedDocument($"note-{seed}", text, [.. spans]);
    }

    [Property(MaxTest = 300)]
    public void WrittenBratFilesReadBackAsTheSameNote(int seed)
    {
        var note = Note(seed);

        var files = BratStandoff.Write([note], Scheme);
        var import = BratStandoff.Read(files.ToDictionary(f => f.Path, f => f.Content), scheme: Scheme);

        var read = Assert.Single(import.Documents);
        Assert.Equal((note.Id, note.Text), (read.Id, read.Text));
        Assert.Equal(note.Annotations, read.Annotations);
    }
}
