namespace GradeBench.Core.Spans.Interchange;

/// <summary>A clinical note and the spans marked in it, as the interchange formats (brat standoff, BioC JSON) carry
/// them: independent of how GradeBench stores them (docs/spans.md, "Interchange: brat and BioC").</summary>
public sealed record AnnotatedDocument(string Id, string Text, IReadOnlyList<NoteAnnotation> Annotations);

/// <summary>A labelled span of a note: code points <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive) of
/// its text, with attribute values by attribute name (a set flag has the value <see cref="FlagSet"/>, a flag that is
/// not set is absent); <see cref="Rater"/> is null for the gold (adjudicated) set. Two annotations are equal when all
/// of this is, the attributes compared as a set.</summary>
public sealed record NoteAnnotation(
    string Label, int Start, int End, IReadOnlyDictionary<string, string> Attributes, string? Rater)
{
    /// <summary>The value of a flag attribute that is set.</summary>
    public const string FlagSet = "true";

    public bool Equals(NoteAnnotation? other) =>
        other is not null && Label == other.Label && Start == other.Start && End == other.End && Rater == other.Rater
        && Attributes.Count == other.Attributes.Count
        && Attributes.All(a => other.Attributes.TryGetValue(a.Key, out var value) && value == a.Value);

    public override int GetHashCode() => HashCode.Combine(Label, Start, End, Rater, Attributes.Count);
}

/// <summary>What an attribute of a label holds: a flag is set or not (negated, uncertain, historical); a number (an
/// NIHSS score) or a text (an onset time) is a value.</summary>
public enum AttributeKind
{
    Flag,
    Number,
    Text,
}

public sealed record AttributeDefinition(string Name, AttributeKind Kind);

/// <summary>A label that may be given to a span, with the attributes a span of it may carry, in the order they are
/// written.</summary>
public sealed record LabelDefinition(string Name, IReadOnlyList<AttributeDefinition> Attributes);

/// <summary>The labels of a study's note annotation: what brat's annotation.conf declares, and what an import may be
/// checked against.</summary>
public sealed record AnnotationScheme(IReadOnlyList<LabelDefinition> Labels)
{
    public LabelDefinition? Label(string name) => Labels.FirstOrDefault(l => l.Name == name);
}
