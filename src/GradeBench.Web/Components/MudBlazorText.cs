using Microsoft.Extensions.Localization;
using MudBlazor;

namespace GradeBench.Web.Components;

/// <summary>MudBlazor's own texts (its keys, e.g. <c>MudDataGrid_…</c>) in our languages, from MudBlazorText.resx;
/// a key missing there falls back to MudBlazor's English.</summary>
public sealed class MudBlazorText;

public sealed class ResxMudLocalizer(IStringLocalizer<MudBlazorText> text) : MudLocalizer
{
    public override LocalizedString this[string key] => text[key];
}
