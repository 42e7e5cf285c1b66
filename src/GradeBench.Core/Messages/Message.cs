using System.Globalization;
using System.Resources;

namespace GradeBench.Core.Messages;

/// <summary>A sentence Core or Storage says to a person (a bundle error, a refused edit, a value off the scale), kept
/// as a key of <c>MessageText.resx</c> and its arguments so that each reader gets it in their language. The web reads
/// it through its localizer (<c>IStringLocalizer&lt;MessageText&gt;</c>); <see cref="ToString()"/> is English, for the
/// command line, logs and the JSON API, whose messages stay English (docs/localization.md).</summary>
public sealed class Message : IEquatable<Message>
{
    static readonly ResourceManager Resources = new("GradeBench.Core.Messages.MessageText", typeof(Message).Assembly);

    public Message(string key, params object?[] args)
    {
        if (Resources.GetString(key, CultureInfo.InvariantCulture) is null)
            throw new KeyNotFoundException($"MessageText has no key {key}.");
        (Key, Args) = (key, args);
    }

    public string Key { get; }

    /// <summary>The placeholders' values: text named by data (ids, file names, values as given), numbers, or other
    /// messages, which are put in the reader's language too.</summary>
    public IReadOnlyList<object?> Args { get; }

    /// <summary>Text that is not the application's to translate (a library's exception message), shown as given.</summary>
    public static Message Verbatim(string text) => new(nameof(Verbatim), text);

    /// <summary>The message in <paramref name="language"/>; the resources' English where it has no translation.</summary>
    public string ToString(CultureInfo language) => string.Format(CultureInfo.InvariantCulture,
        Resources.GetString(Key, language)!, [.. Args.Select(a => a is Message m ? m.ToString(language) : a)]);

    public override string ToString() => ToString(CultureInfo.InvariantCulture);

    public bool Equals(Message? other) => other is not null && Key == other.Key && Args.SequenceEqual(other.Args);

    public override bool Equals(object? obj) => Equals(obj as Message);

    public override int GetHashCode() => HashCode.Combine(Key, Args.Count);
}

/// <summary>Marks <c>MessageText.resx</c> for <c>IStringLocalizer&lt;MessageText&gt;</c>.</summary>
public sealed class MessageText;
