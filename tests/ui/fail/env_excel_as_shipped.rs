// Rule 2 / corpus: Lecca's Excel connection read INTEGRATION_MICROSOFT_365_EXCEL_CLIENT_ID.
#[connkit::oauth2_connection(
    id = "microsoft-excel-365_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
    client_id_env = "INTEGRATION_MICROSOFT_365_EXCEL_CLIENT_ID",
)]
pub struct MicrosoftExcel365OAuth2;

fn main() {}
