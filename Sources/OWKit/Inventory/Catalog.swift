/// The built-in catalog of SaaS vendors: name, billing sender domains, aliases and category.
/// The scan uses the domains to recognise invoices; licenses resolve vendors by name or alias.
/// One line per vendor: `Name | domain, domain | alias, alias | category`.
enum Catalog {
    struct Entry {
        let name: String
        let domains: [String]
        let aliases: [String]
        let category: String
    }

    static var entries: [Entry] {
        table.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmed(.whitespaces) }
            guard f.count == 4 else { return nil }
            func list(_ s: String) -> [String] { s.split(separator: ",").map { $0.trimmed(.whitespaces) }.filter { !$0.isEmpty } }
            return Entry(name: f[0], domains: list(f[1]), aliases: list(f[2]), category: f[3])
        }
    }

    static let table = """
    Slack | slack.com | slack technologies | communication
    Zoom | zoom.us, zoom.com | zoom video | communication
    Microsoft 365 | microsoft.com, microsoftonline.com, office.com | office 365, m365, microsoft | productivity
    Google Workspace | google.com, workspace.google.com | g suite, gsuite, google apps | productivity
    Atlassian | atlassian.com | jira, confluence, bitbucket, trello | development
    GitHub | github.com | github inc | development
    GitLab | gitlab.com | gitlab inc | development
    Notion | notion.so, makenotion.com | notion labs | productivity
    Figma | figma.com | figma inc | design
    Adobe | adobe.com | adobe creative cloud, creative cloud, acrobat | design
    Canva | canva.com | canva pty | design
    Miro | miro.com | realtimeboard | collaboration
    Asana | asana.com | asana inc | project management
    Monday.com | monday.com | monday | project management
    ClickUp | clickup.com | | project management
    Linear | linear.app | | project management
    Basecamp | basecamp.com, 37signals.com | 37signals | project management
    Airtable | airtable.com | | productivity
    Dropbox | dropbox.com, dropboxmail.com | dropbox business | storage
    Box | box.com | box inc | storage
    1Password | 1password.com, agilebits.com | agilebits | security
    LastPass | lastpass.com | | security
    Bitwarden | bitwarden.com | | security
    Okta | okta.com | | security
    Auth0 | auth0.com | | security
    Cloudflare | cloudflare.com | | infrastructure
    Amazon Web Services | aws.amazon.com, amazonaws.com, amazon.com | aws, amazon web services emea | infrastructure
    Microsoft Azure | azure.com | azure | infrastructure
    Google Cloud | cloud.google.com | gcp, google cloud platform | infrastructure
    DigitalOcean | digitalocean.com | digital ocean | infrastructure
    Heroku | heroku.com | salesforce heroku | infrastructure
    Vercel | vercel.com | zeit | infrastructure
    Netlify | netlify.com | | infrastructure
    Hetzner | hetzner.com, hetzner.de | hetzner online | infrastructure
    OVHcloud | ovh.com, ovhcloud.com | ovh | infrastructure
    Linode | linode.com | akamai linode | infrastructure
    Fastly | fastly.com | | infrastructure
    Datadog | datadoghq.com | | monitoring
    New Relic | newrelic.com | | monitoring
    Sentry | sentry.io | functional software | monitoring
    PagerDuty | pagerduty.com | | monitoring
    Grafana Cloud | grafana.com | grafana labs | monitoring
    Statuspage | statuspage.io | | monitoring
    Salesforce | salesforce.com | sfdc | crm
    HubSpot | hubspot.com | | crm
    Pipedrive | pipedrive.com | | crm
    Zoho | zoho.com, zoho.eu | zoho crm, zoho one | crm
    Freshworks | freshworks.com, freshdesk.com | freshdesk, freshservice | support
    Zendesk | zendesk.com | | support
    Intercom | intercom.com, intercom.io | | support
    Help Scout | helpscout.com, helpscout.net | | support
    Mailchimp | mailchimp.com, intuit.com | intuit mailchimp | marketing
    SendGrid | sendgrid.com | twilio sendgrid | marketing
    Brevo | brevo.com, sendinblue.com | sendinblue | marketing
    Hootsuite | hootsuite.com | | marketing
    Buffer | buffer.com | | marketing
    Semrush | semrush.com | | marketing
    Ahrefs | ahrefs.com | | marketing
    Hotjar | hotjar.com | | analytics
    Mixpanel | mixpanel.com | | analytics
    Amplitude | amplitude.com | | analytics
    Tableau | tableau.com | | analytics
    Looker Studio | looker.com | looker | analytics
    Typeform | typeform.com | | productivity
    SurveyMonkey | surveymonkey.com, momentive.ai | momentive | productivity
    Calendly | calendly.com | | productivity
    DocuSign | docusign.com, docusign.net | | legal
    Dropbox Sign | hellosign.com | hellosign | legal
    PandaDoc | pandadoc.com | | legal
    QuickBooks | quickbooks.com, intuit.com | intuit quickbooks | finance
    Xero | xero.com | | finance
    FreshBooks | freshbooks.com | | finance
    Sage | sage.com | sage business cloud | finance
    Expensify | expensify.com | | finance
    Pleo | pleo.io | | finance
    Stripe | stripe.com | | finance
    PayPal | paypal.com | | finance
    Gusto | gusto.com | | hr
    BambooHR | bamboohr.com | | hr
    Personio | personio.com, personio.de | | hr
    Rippling | rippling.com | | hr
    Deel | deel.com | | hr
    Workday | workday.com | | hr
    Lattice | lattice.com | | hr
    Loom | loom.com | | communication
    Webex | webex.com, cisco.com | cisco webex | communication
    RingCentral | ringcentral.com | | communication
    Twilio | twilio.com | | communication
    Aircall | aircall.io | | communication
    Discord | discord.com | discord nitro | communication
    Microsoft Teams | teams.microsoft.com | teams | communication
    Grammarly | grammarly.com | | productivity
    Evernote | evernote.com | | productivity
    Todoist | todoist.com, doist.com | doist | productivity
    Smartsheet | smartsheet.com | | project management
    Wrike | wrike.com | | project management
    Jira Service Management | jira.com | | support
    JetBrains | jetbrains.com | intellij, pycharm, webstorm | development
    Postman | postman.com, getpostman.com | | development
    Docker | docker.com | docker hub, docker desktop | development
    CircleCI | circleci.com | | development
    Travis CI | travis-ci.com | | development
    npm | npmjs.com | | development
    Snyk | snyk.io | | security
    Sonar | sonarsource.com, sonarcloud.io | sonarcloud, sonarqube | development
    OpenAI | openai.com | chatgpt | ai
    Anthropic | anthropic.com | claude | ai
    GitHub Copilot | copilot.github.com | copilot | ai
    Midjourney | midjourney.com | | ai
    DeepL | deepl.com | | ai
    Otter.ai | otter.ai | otter | ai
    Sketch | sketch.com | | design
    InVision | invisionapp.com | invision | design
    Webflow | webflow.com | | web
    WordPress.com | wordpress.com, automattic.com | automattic | web
    Squarespace | squarespace.com | | web
    Wix | wix.com | | web
    Shopify | shopify.com | | commerce
    GoDaddy | godaddy.com | | web
    Namecheap | namecheap.com | | web
    Zapier | zapier.com | | automation
    Make | make.com, integromat.com | integromat | automation
    IFTTT | ifttt.com | | automation
    Vimeo | vimeo.com | | media
    Spotify | spotify.com | spotify business | media
    Envato | envato.com | | design
    Shutterstock | shutterstock.com | | design
    Getty Images | gettyimages.com | | design
    LinkedIn | linkedin.com | linkedin premium, sales navigator | marketing
    Coursera | coursera.org | | training
    Udemy | udemy.com | udemy business | training
    TeamViewer | teamviewer.com | | it
    AnyDesk | anydesk.com | | it
    NordLayer | nordlayer.com, nordvpn.com | nordvpn | security
    Kandji | kandji.io | | it
    Jamf | jamf.com | | it
    """
}
