namespace GradeBench.Web.Features.Accounts;

/// <summary>Text of the account pages (sign-in, invite, passwords, accounts): AccountsText.resx, AccountsText.zh-CN.resx.</summary>
public sealed class AccountsText;
