using System.Globalization;
using GradeBench.Core.Messages;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Components;

/// <summary>What Core and Storage say to a person (<see cref="Message"/>: a bundle error, a refused change, a value off
/// the scale) in the reader's language, read from Core's MessageText resources through the localizer (so the
/// pseudo-locale marks it too). The command line, logs and the JSON API use the message's English ToString instead.</summary>
public static class CoreMessages
{
    /// <summary>The message in the request's language. A message among its arguments is said too; numbers are written as
    /// Core writes them, whatever the culture (0.5, never 0,5).</summary>
    public static string Say(this IStringLocalizer<MessageText> text, Message message) =>
        text[message.Key, [.. message.Args.Select(argument => argument switch
        {
            Message inner => text.Say(inner),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => argument ?? "",
        })]];
}
