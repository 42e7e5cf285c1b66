using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Spans.Interchange;

/// <summary>What an import from brat left out, by kind: annotator notes (<c>#</c>), relations (<c>R</c>), events
/// (<c>E</c>), equivalences (<c>*</c>) and normalizations (<c>N</c>), and the attributes set on any of these.</summary>
public sealed record BratSkipped(int Notes, int Relations, int Events, int Equivalences, int Normalizations, int Attributes)
{
    public static readonly BratSkipped None = new(0, 0, 0, 0, 0, 0);

    public int Total => Notes + Relations + Events + Equivalences + Normalizations + Attributes;

    public BratSkipped Plus(BratSkipped other) => new(Notes + other.Notes, Relations + other.Relations,
        Events + other.Events, Equivalences + other.Equivalences, Normalizations + other.Normalizations,
        Attributes + other.Attributes);
}

/// <summary>The documents read from brat files, and what was left out of them.</summary>
public sealed record BratImport(IReadOnlyList<AnnotatedDocument> Documents, BratSkipped Skipped);

/// <summary>brat's standoff format (docs/spans.md, "Interchange: brat and BioC"): each document as <c>ID.txt</c> (its
/// text exactly, UTF-8 without a byte-order mark) and <c>ID.ann</c> (a text-bound annotation <c>T1\tLabel START
/// END\tcovered text</c> per span, offsets in code points as brat counts them; a flag as <c>A1\tName T1</c>, a value
/// as <c>A2\tName T1 VALUE</c>, or, one annotation.conf cannot list (a space, a comma, |, &lt; or &gt;), as an annotator
/// note <c>#1\tAnnotatorNotes T1\tName: VALUE</c>), and the folder's <c>annotation.conf</c> declaring the labels and attributes. A span
/// that crosses a line break is written as brat itself writes it, in fragments split at the line breaks; on import such
/// fragments are taken back as their covering span, while fragments separated by anything but line breaks and spaces
/// are refused, as GradeBench spans are continuous.</summary>
public static partial class BratStandoff
{
    public const string ConfigurationFile = "annotation.conf";

    /// <summary>The folders of an export by rater: the gold set, and one per rater under this one.</summary>
    public const string GoldFolder = "gold", RatersFolder = "raters";

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>One brat folder: <c>ID.txt</c> and <c>ID.ann</c> for each document, and <c>annotation.conf</c>.</summary>
    /// <exception cref="ArgumentException">Annotations of more than one rater (the gold set counting as one): brat files
    /// do not say who marked a span, so each rater has a folder of their own (<see cref="WriteByRater"/>).</exception>
    /// <exception cref="InterchangeException">A label, attribute or value brat cannot carry, or a document id that
    /// cannot be a file name.</exception>
    public static IReadOnlyList<InterchangeFile> Write(IReadOnlyList<AnnotatedDocument> documents, AnnotationScheme scheme)
    {
        if (documents.SelectMany(d => d.Annotations).Select(a => a.Rater).Distinct().Count() > 1)
            throw new ArgumentException("A brat folder holds the spans of one rater, or of the gold set: write several with WriteByRater.", nameof(documents));
        return Folder("", documents, scheme);
    }

    /// <summary>A brat folder for the gold set (<c>gold/</c>, if it has spans) and one for each rater who marked a span
    /// (<c>raters/RATER/</c>), each with every document, its <c>.ann</c> holding that rater's spans only.</summary>
    /// <exception cref="InterchangeException">As <see cref="Write"/>, or a rater whose name cannot be a folder's.</exception>
    public static IReadOnlyList<InterchangeFile> WriteByRater(IReadOnlyList<AnnotatedDocument> documents, AnnotationScheme scheme)
    {
        var files = new List<InterchangeFile>();
        var raters = documents.SelectMany(d => d.Annotations).Select(a => a.Rater).Distinct()
            .OrderBy(r => r is not null).ThenBy(r => r, StringComparer.Ordinal);
        foreach (var rater in raters)
        {
            var folder = rater is null ? $"{GoldFolder}/" : $"{RatersFolder}/{FileName(rater, $"{RatersFolder}/{rater}", "rater")}/";
            var own = documents.Select(d => d with { Annotations = [.. d.Annotations.Where(a => a.Rater == rater)] }).ToList();
            files.AddRange(Folder(folder, own, scheme));
        }
        return files;
    }

    static List<InterchangeFile> Folder(string folder, IReadOnlyList<AnnotatedDocument> documents, AnnotationScheme scheme)
    {
        var files = new List<InterchangeFile>();
        var written = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var document in documents)
        {
            var path = folder + FileName(document.Id, $"{folder}{document.Id}.txt", "document");
            if (!written.TryAdd(document.Id, document.Id))
                throw new InterchangeException($"{path}.txt", 0, "document", new Message("Interchange_SameFileName", written[document.Id], document.Id));
            files.Add(new InterchangeFile($"{path}.txt", StrictUtf8.GetBytes(document.Text)));
            files.Add(new InterchangeFile($"{path}.ann", StrictUtf8.GetBytes(WriteAnn(document, scheme, $"{path}.ann"))));
        }
        files.Add(new InterchangeFile(folder + ConfigurationFile,
            StrictUtf8.GetBytes(WriteConfiguration(scheme, documents, folder + ConfigurationFile))));
        return files;
    }

    /// <summary>The <c>.ann</c> of <paramref name="document"/>: its spans as T1, T2, … in order, each followed by its
    /// attributes in the order its label declares them, then its values annotation.conf cannot list, as annotator notes.</summary>
    /// <param name="file">The name errors give.</param>
    /// <exception cref="ArgumentException">A span outside the text, or a label, attribute or flag value the scheme does
    /// not declare.</exception>
    /// <exception cref="InterchangeException">A label, attribute or value brat cannot carry.</exception>
    public static string WriteAnn(AnnotatedDocument document, AnnotationScheme scheme, string? file = null)
    {
        file ??= document.Id + ".ann";
        var text = new CodePointText(document.Text);
        var ann = new StringBuilder();
        var (attributeCount, noteCount) = (0, 0);
        for (var i = 0; i < document.Annotations.Count; i++)
        {
            var span = document.Annotations[i];
            if (span.Start < 0 || span.Start > span.End || span.End > text.Length)
                throw new ArgumentOutOfRangeException(nameof(document), $"{document.Id}: the span {span.Start}–{span.End} of {span.Label} is not within the text's {text.Length} code points.");
            var label = scheme.Label(span.Label) ?? throw new ArgumentException($"{document.Id}: {span.Label} is not a label of the scheme.", nameof(document));
            if (span.Attributes.Keys.FirstOrDefault(name => label.Attributes.All(a => a.Name != name)) is { } undeclared)
                throw new ArgumentException($"{document.Id}: {undeclared} is not an attribute of {span.Label} in the scheme.", nameof(document));
            var fragments = Fragments(text, span.Start, span.End);
            ann.Append(CultureInfo.InvariantCulture, $"T{i + 1}\t{Name(span.Label, file, "label")} ")
                .AppendJoin(';', fragments.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Start} {f.End}")))
                .Append('\t').AppendJoin(' ', fragments.Select(f => text.Slice(f.Start, f.End))).Append('\n');
            var notes = new StringBuilder();
            foreach (var attribute in label.Attributes)
            {
                if (!span.Attributes.TryGetValue(attribute.Name, out var value)) continue;
                var name = Name(attribute.Name, file, "attribute");
                if (attribute.Kind != AttributeKind.Flag && !Listable(value))
                {
                    if (value.Any(c => c == '\t' || IsLineBreak(c)))
                        throw new InterchangeException(file, 0, attribute.Name, new Message("Brat_NotANote", value));
                    notes.Append(CultureInfo.InvariantCulture, $"#{++noteCount}\t{AnnotatorNotes} T{i + 1}\t{name}{NoteSeparator}{value}\n");
                    continue;
                }
                ann.Append(CultureInfo.InvariantCulture, $"A{++attributeCount}\t{name} T{i + 1}");
                if (attribute.Kind != AttributeKind.Flag) ann.Append(' ').Append(value);
                else if (value != NoteAnnotation.FlagSet)
                    throw new ArgumentException($"{document.Id}: the flag {attribute.Name} of {span.Label} has the value {value}: a flag that is set has the value {NoteAnnotation.FlagSet}, one that is not is absent.", nameof(document));
                ann.Append('\n');
            }
            ann.Append(notes);
        }
        return ann.ToString();
    }

    /// <summary>brat's <c>annotation.conf</c> for <paramref name="scheme"/>: every label as an entity type, every
    /// attribute by name with the labels it applies to. brat offers a valued attribute's values from a closed list, so
    /// a number or text attribute lists the values that occur in <paramref name="documents"/> (numbers first, in
    /// numeric order, then the others in ordinal order; not those written as annotator notes), and one with no such
    /// value there is left out.</summary>
    /// <param name="file">The name errors give.</param>
    /// <exception cref="InterchangeException">A label, attribute or value brat cannot carry, or an attribute name that
    /// is a flag of one label and takes a value on another.</exception>
    public static string WriteConfiguration(AnnotationScheme scheme, IEnumerable<AnnotatedDocument> documents, string file = ConfigurationFile)
    {
        var conf = new StringBuilder("# The labels and attributes of GradeBench's note annotation (docs/spans.md).\n[entities]\n");
        foreach (var label in scheme.Labels) conf.Append(Name(label.Name, file, "label")).Append('\n');
        conf.Append("\n[relations]\n\n[events]\n\n[attributes]\n");
        var spans = documents.SelectMany(d => d.Annotations).ToList();
        foreach (var name in scheme.Labels.SelectMany(l => l.Attributes).Select(a => a.Name).Distinct())
        {
            var uses = scheme.Labels.SelectMany(l => l.Attributes.Where(a => a.Name == name).Select(a => (Label: l.Name, a.Kind))).ToList();
            var (flags, valued) = (uses.Where(u => u.Kind == AttributeKind.Flag).ToList(), uses.Where(u => u.Kind != AttributeKind.Flag).ToList());
            if (flags.Count > 0 && valued.Count > 0)
                throw new InterchangeException(file, 0, "attribute", new Message("Brat_FlagAndValued", name, flags[0].Label, valued[0].Label));
            var labels = uses.Select(u => u.Label).Distinct().ToList();
            var values = spans.Where(s => labels.Contains(s.Label)).Select(s => s.Attributes.GetValueOrDefault(name))
                .OfType<string>().Distinct().Where(Listable)
                .OrderBy(v => Number(v) is null).ThenBy(Number).ThenBy(v => v, StringComparer.Ordinal).ToList();
            if (valued.Count > 0 && values.Count == 0) continue;
            conf.Append(Name(name, file, "attribute")).Append("\tArg:").AppendJoin('|', labels);
            if (valued.Count > 0) conf.Append(", Value:").AppendJoin('|', values);
            conf.Append('\n');
        }
        return conf.ToString();
    }

    /// <summary>The fragments brat writes for code points <paramref name="start"/>–<paramref name="end"/>: split at
    /// every line break (an <c>.ann</c> line cannot hold one), with an empty fragment at either end where the span
    /// begins or ends with a line break, so that the fragments' covering span is the span itself.</summary>
    static List<(int Start, int End)> Fragments(CodePointText text, int start, int end)
    {
        var fragments = new List<(int, int)>();
        var (fragmentStart, inFragment) = (start, true);
        for (var position = start; position < end; position++)
        {
            if (!IsLineBreak(text.UnitAt(position)))
            {
                if (!inFragment) (fragmentStart, inFragment) = (position, true);
            }
            else if (inFragment)
            {
                fragments.Add((fragmentStart, position));
                inFragment = false;
            }
        }
        fragments.Add(inFragment ? (fragmentStart, end) : (end, end));
        return fragments;
    }

    /// <summary>Reads one brat folder: every <c>ID.txt</c> is a document, annotated by <c>ID.ann</c> beside it (none:
    /// no spans); other files, and those in subfolders, are not read.</summary>
    /// <param name="files">The folder's files by name (<see cref="InterchangeFile.ReadAll"/>).</param>
    /// <param name="rater">Who marked the spans; null for a gold set.</param>
    /// <param name="scheme">If given, labels and attributes are checked against it.</param>
    /// <exception cref="InterchangeException">A file that is not UTF-8, an <c>.ann</c> without its <c>.txt</c>, or a
    /// line of an <c>.ann</c> that cannot be read (<see cref="ReadAnn"/>).</exception>
    public static BratImport Read(IReadOnlyDictionary<string, byte[]> files, string? rater = null, AnnotationScheme? scheme = null) =>
        ReadFolder(files, "", rater, scheme);

    /// <summary>Reads an export by rater (<see cref="WriteByRater"/>): <c>gold/</c> as the gold set and each
    /// <c>raters/RATER/</c> as that rater's spans, a document's spans from all of them together.</summary>
    /// <exception cref="InterchangeException">As <see cref="Read"/>; neither folder; or a document whose text differs
    /// between two folders.</exception>
    public static BratImport ReadByRater(IReadOnlyDictionary<string, byte[]> files, AnnotationScheme? scheme = null)
    {
        var folders = new List<(string Folder, string? Rater)>();
        if (files.Keys.Any(p => p.StartsWith($"{GoldFolder}/", StringComparison.Ordinal))) folders.Add(($"{GoldFolder}/", null));
        folders.AddRange(files.Keys.Select(p => p.Split('/')).Where(p => p.Length == 3 && p[0] == RatersFolder)
            .Select(p => p[1]).Distinct().Order(StringComparer.Ordinal).Select(r => ($"{RatersFolder}/{r}/", (string?)r)));
        if (folders.Count == 0) throw new InterchangeException(".", 0, "folder", new Message("Brat_NoFolders"));
        var documents = new Dictionary<string, (string Path, string Text, List<NoteAnnotation> Annotations)>(StringComparer.Ordinal);
        var order = new List<string>();
        var skipped = BratSkipped.None;
        foreach (var (folder, rater) in folders)
        {
            var import = ReadFolder(files, folder, rater, scheme);
            skipped = skipped.Plus(import.Skipped);
            foreach (var document in import.Documents)
            {
                var path = $"{folder}{document.Id}.txt";
                if (!documents.TryGetValue(document.Id, out var seen))
                {
                    documents[document.Id] = (path, document.Text, [.. document.Annotations]);
                    order.Add(document.Id);
                }
                else if (seen.Text != document.Text)
                    throw new InterchangeException(path, 0, "text", new Message("Brat_TextsDiffer", seen.Path));
                else seen.Annotations.AddRange(document.Annotations);
            }
        }
        return new BratImport([.. order.Select(id => new AnnotatedDocument(id, documents[id].Text, documents[id].Annotations))], skipped);
    }

    static BratImport ReadFolder(IReadOnlyDictionary<string, byte[]> files, string folder, string? rater, AnnotationScheme? scheme)
    {
        var names = files.Keys.Where(p => p.StartsWith(folder, StringComparison.Ordinal) && !p[folder.Length..].Contains('/'))
            .Select(p => p[folder.Length..]).ToHashSet(StringComparer.Ordinal);
        if (names.FirstOrDefault(n => n.EndsWith(".ann", StringComparison.Ordinal) && !names.Contains(n[..^4] + ".txt")) is { } orphan)
            throw new InterchangeException(folder + orphan, 0, "file", new Message("Brat_TextMissing", orphan[..^4] + ".txt"));
        var documents = new List<AnnotatedDocument>();
        var skipped = BratSkipped.None;
        foreach (var name in names.Where(n => n.EndsWith(".txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var id = name[..^4];
            var text = Decode(files[folder + name], folder + name);
            var annPath = $"{folder}{id}.ann";
            // brat reads the text as it is, a byte-order mark included (one code point); an .ann's would spoil its first id.
            var ann = files.TryGetValue(annPath, out var annBytes) ? Decode(annBytes, annPath).TrimStart('\uFEFF') : "";
            var import = ReadAnn(id, text, ann, annPath, rater, scheme);
            documents.AddRange(import.Documents);
            skipped = skipped.Plus(import.Skipped);
        }
        return new BratImport(documents, skipped);
    }

    static string Decode(byte[] bytes, string path)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InterchangeException(path, 0, "file", new Message("Interchange_NotUtf8"));
        }
    }

    /// <summary>Reads one <c>.ann</c>: its text-bound annotations (T) as spans of <paramref name="text"/>, with their
    /// attributes (A, and the old M for a flag) and the values written as annotator notes <c>NAME: VALUE</c> (with a
    /// scheme, only of a text attribute of the span's label; without one, of any brat name); other notes (#), relations
    /// (R), events (E), equivalences (*), normalizations (N) and attributes set on those are counted and left out. Lines end where Python's
    /// <c>str.splitlines</c> ends them, as brat reads them; blank lines are skipped.</summary>
    /// <param name="file">The name errors give.</param>
    /// <exception cref="InterchangeException">A malformed line, an id used twice, offsets outside the text, covered text
    /// that is not the text at its offsets, fragments that overlap or are separated by more than line breaks and
    /// spaces, an attribute set twice or on an id the file does not have; with a scheme, a label or attribute it lacks,
    /// a flag with a value, a valued attribute without one, a number attribute whose value is not a number.</exception>
    public static BratImport ReadAnn(string documentId, string text, string ann, string file, string? rater = null, AnnotationScheme? scheme = null)
    {
        var source = new CodePointText(text);
        var spans = new List<(NoteAnnotation Span, Dictionary<string, string> Attributes)>();
        var textBound = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var attributes = new List<(int Line, string Name, string Target, string? Value)>();
        var annotatorNotes = new List<(int Line, string Name, string Target, string Value)>();
        var (notes, relations, events, equivalences, normalizations) = (0, 0, 0, 0, 0);
        var lineNumber = 0;
        foreach (var line in Lines(ann))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var tab = line.IndexOf('\t');
            if (tab < 0) throw new InterchangeException(file, lineNumber, "id", new Message("Brat_NoTab"));
            var id = line[..tab];
            if (id == "*")
            {
                equivalences++;
                continue;
            }
            if (!BratId().IsMatch(id)) throw new InterchangeException(file, lineNumber, "id", new Message("Brat_BadId", id));
            if (!ids.TryAdd(id, lineNumber))
                throw new InterchangeException(file, lineNumber, "id", new Message("Brat_DuplicateId", id, ids[id]));
            var rest = line[(tab + 1)..];
            var dataEnd = rest.IndexOf('\t');
            var data = dataEnd < 0 ? rest : rest[..dataEnd];
            switch (id[0])
            {
                case 'T':
                    var (label, start, end) = TextBound(source, data, dataEnd < 0 ? "" : rest[(dataEnd + 1)..], scheme, file, lineNumber);
                    var values = new Dictionary<string, string>(StringComparer.Ordinal);
                    textBound[id] = spans.Count;
                    spans.Add((new NoteAnnotation(label, start, end, values, rater), values));
                    break;
                case 'A' or 'M':
                    var parts = data.TrimEnd().Split(' ', 3);
                    if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
                        throw new InterchangeException(file, lineNumber, "attribute", new Message("Brat_AttributeSyntax"));
                    attributes.Add((lineNumber, parts[0], parts[1], parts.Length == 3 ? parts[2] : null));
                    break;
                case '#':
                    var note = dataEnd < 0 ? "" : rest[(dataEnd + 1)..];
                    var separator = note.IndexOf(NoteSeparator, StringComparison.Ordinal);
                    if (data.TrimEnd().Split(' ') is [AnnotatorNotes, var target] && separator > 0 && BratName().IsMatch(note[..separator]))
                        annotatorNotes.Add((lineNumber, note[..separator], target, note[(separator + NoteSeparator.Length)..]));
                    else notes++;
                    break;
                case 'R': relations++; break;
                case 'E': events++; break;
                case 'N': normalizations++; break;
                default: throw new InterchangeException(file, lineNumber, "id", new Message("Brat_UnknownKind", id));
            }
        }
        foreach (var (line, name, target, value) in annotatorNotes)
        {
            // Only where a scheme declares the text attribute: a third-party corpus's "Comment: …" stays a note.
            if (textBound.TryGetValue(target, out var index)
                && scheme?.Label(spans[index].Span.Label)?.Attributes.Any(a => a.Name == name && a.Kind == AttributeKind.Text) == true)
                attributes.Add((line, name, target, value));
            else notes++;
        }
        var skippedAttributes = 0;
        foreach (var (line, name, target, value) in attributes)
        {
            if (!textBound.TryGetValue(target, out var index))
            {
                if (!ids.ContainsKey(target)) throw new InterchangeException(file, line, "target", new Message("Brat_NoSuchTarget", target));
                skippedAttributes++;
                continue;
            }
            var (span, values) = spans[index];
            if (scheme is not null) CheckAttribute(scheme, span.Label, name, value, file, line);
            if (!values.TryAdd(name, value ?? NoteAnnotation.FlagSet))
                throw new InterchangeException(file, line, "attribute", new Message("Brat_AttributeTwice", name, target));
        }
        return new BratImport([new AnnotatedDocument(documentId, text, [.. spans.Select(s => s.Span)])],
            new BratSkipped(notes, relations, events, equivalences, normalizations, skippedAttributes));
    }

    static (string Label, int Start, int End) TextBound(CodePointText source, string data, string covered, AnnotationScheme? scheme, string file, int line)
    {
        var space = data.IndexOf(' ');
        if (space <= 0) throw new InterchangeException(file, line, "type", new Message("Brat_TypeMissing"));
        var label = data[..space];
        if (scheme is not null && scheme.Label(label) is null)
            throw new InterchangeException(file, line, "type", new Message("Interchange_UnknownLabel", label));
        var offsets = data[(space + 1)..].TrimEnd();
        var fragments = new List<(int Start, int End)>();
        foreach (var fragment in offsets.Split(';'))
        {
            var pair = fragment.Split(' ');
            if (pair.Length != 2) throw new InterchangeException(file, line, "offsets", new Message("Brat_OffsetsSyntax", offsets));
            var (start, end) = (Offset(pair[0], "start", file, line), Offset(pair[1], "end", file, line));
            if (start > end) throw new InterchangeException(file, line, "start", new Message("Brat_StartAfterEnd", start, end));
            if (end > source.Length) throw new InterchangeException(file, line, "end", new Message("Brat_BeyondText", end, source.Length));
            fragments.Add((start, end));
        }
        var texts = fragments.Select(f => source.Slice(f.Start, f.End)).ToList();
        if (!IsCoveredText(covered, texts))
            throw new InterchangeException(file, line, "text", new Message("Brat_TextMismatch", Shown(covered), Shown(string.Join(' ', texts))));
        fragments.Sort();
        for (var i = 1; i < fragments.Count; i++)
        {
            var (previous, next) = (fragments[i - 1], fragments[i]);
            if (next.Start < previous.End) throw new InterchangeException(file, line, "offsets", new Message("Brat_FragmentsOverlap"));
            var gap = source.Slice(previous.End, next.Start);
            if (!gap.All(IsSpace)) throw new InterchangeException(file, line, "offsets", new Message("Brat_Discontinuous", Shown(gap)));
        }
        return (label, fragments[0].Start, fragments[^1].End);
    }

    /// <summary>Whether <paramref name="covered"/> is the covered text of fragments of <paramref name="texts"/> as
    /// brat's TextAnnotations reads it: none, or only white space, is filled in from the text; the texts are joined by
    /// one space (by none before brat 1.3, when there are several), and a comment may follow after a space.</summary>
    static bool IsCoveredText(string covered, List<string> texts)
    {
        var expected = string.Join(' ', texts);
        return covered.All(IsSpace)
            || (covered.StartsWith(expected, StringComparison.Ordinal) && (covered.Length == expected.Length || IsSpace(covered[expected.Length])))
            || (texts.Count > 1 && covered.StartsWith(string.Concat(texts), StringComparison.Ordinal));
    }

    static int Offset(string value, string field, string file, int line)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset))
            throw new InterchangeException(file, line, field, new Message("Brat_NotANumber", value));
        return offset >= 0 ? offset : throw new InterchangeException(file, line, field, new Message("Brat_Negative", offset));
    }

    static void CheckAttribute(AnnotationScheme scheme, string label, string name, string? value, string file, int line)
    {
        var definition = scheme.Label(label)!.Attributes.FirstOrDefault(a => a.Name == name)
            ?? throw new InterchangeException(file, line, "attribute", new Message("Interchange_UnknownAttribute", name, label));
        if (definition.Kind == AttributeKind.Flag && value is not null)
            throw new InterchangeException(file, line, "value", new Message("Interchange_FlagWithValue", name, value));
        if (definition.Kind != AttributeKind.Flag && value is null)
            throw new InterchangeException(file, line, "value", new Message("Interchange_ValueMissing", name));
        if (definition.Kind == AttributeKind.Number && Number(value!) is null)
            throw new InterchangeException(file, line, "value", new Message("Interchange_NotANumber", name, value));
    }

    static decimal? Number(string value) =>
        decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? number : null;

    /// <summary>The lines of <paramref name="text"/>, ended where Python's <c>str.splitlines</c> ends them (brat reads
    /// an <c>.ann</c> with it), <c>\r\n</c> as one.</summary>
    static IEnumerable<string> Lines(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsLineBreak(text[i])) continue;
            yield return text[start..i];
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            start = i + 1;
        }
        if (start < text.Length) yield return text[start..];
    }

    /// <summary>Where Python's <c>str.splitlines</c> ends a line.</summary>
    static bool IsLineBreak(char c) => c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';

    /// <summary>Python's <c>str.isspace</c>: .NET's white space and the information separators U+001C–U+001F.</summary>
    static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    static string Shown(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");

    /// <summary>A label or attribute name as brat stores it: brat's annotation.conf turns any other character into _.</summary>
    static string Name(string name, string file, string field) =>
        BratName().IsMatch(name) ? name : throw new InterchangeException(file, 0, field, new Message("Brat_NotAName", name));

    /// <summary>Whether annotation.conf can list the value: it separates values with | and arguments with commas, ends
    /// them at white space, and reads &lt;…&gt; as a macro. Other values are written as annotator notes.</summary>
    static bool Listable(string value) => value.Length > 0 && !value.Any(c => IsSpace(c) || c is ',' or '|' or '<' or '>');

    /// <summary>A value annotation.conf cannot list: <c>#1\tAnnotatorNotes T1\tName: VALUE</c>, a note brat shows on
    /// its span, that a reader of brat files can take apart at the first ": " (a brat name holds no colon).</summary>
    const string AnnotatorNotes = "AnnotatorNotes", NoteSeparator = ": ";

    /// <summary>A document id or rater as a file or folder name on any common system.</summary>
    static string FileName(string name, string file, string field) =>
        name.Length > 0 && name is not "." and not ".." && !name.EndsWith('.') && !name.EndsWith(' ')
        && !name.Any(c => c < ' ' || "/\\:*?\"<>|".Contains(c))
            ? name
            : throw new InterchangeException(file, 0, field, new Message("Interchange_NotAFileName", name));

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z")]
    private static partial Regex BratName();

    /// <summary>brat's ids: letters (or # and letters), a number, anything after.</summary>
    [GeneratedRegex("^([A-Za-z]+|#[A-Za-z]*)[0-9]")]
    private static partial Regex BratId();
}
