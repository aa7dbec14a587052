"""The voices, languages and speech providers the inspector offers for Say/Play, Gather
Input On Call, Capture Payments and Run ConversationRelay.

Suggestions, not enumerations: a flow may name any voice or language Twilio's <Say> and
<Gather> accept, or Liquid, and validation never checks them. Each entry is the value
as Twilio spells it in TwiML (and Studio stores it) with a readable label. Voices are
Twilio's basic three and a representative set of Amazon Polly (`Polly.<Name>`, neural
ones end in `-Neural`) and Google (`Google.<language>-<kind>-<letter>`) voices; a voice
speaks the language its label names, so pair it with that language.
"""

from __future__ import annotations

BASIC_VOICES: tuple[tuple[str, str], ...] = (
    ("man", "Man"),
    ("woman", "Woman"),
    ("alice", "Alice"),
)

POLLY_VOICES: tuple[tuple[str, str], ...] = (
    ("Polly.Joanna", "Joanna: English (US), female"),
    ("Polly.Matthew", "Matthew: English (US), male"),
    ("Polly.Salli", "Salli: English (US), female"),
    ("Polly.Joey", "Joey: English (US), male"),
    ("Polly.Joanna-Neural", "Joanna, neural: English (US), female"),
    ("Polly.Matthew-Neural", "Matthew, neural: English (US), male"),
    ("Polly.Amy", "Amy: English (UK), female"),
    ("Polly.Brian", "Brian: English (UK), male"),
    ("Polly.Emma", "Emma: English (UK), female"),
    ("Polly.Amy-Neural", "Amy, neural: English (UK), female"),
    ("Polly.Nicole", "Nicole: English (Australia), female"),
    ("Polly.Russell", "Russell: English (Australia), male"),
    ("Polly.Raveena", "Raveena: English (India), female"),
    ("Polly.Lupe", "Lupe: Spanish (US), female"),
    ("Polly.Miguel", "Miguel: Spanish (US), male"),
    ("Polly.Conchita", "Conchita: Spanish (Spain), female"),
    ("Polly.Enrique", "Enrique: Spanish (Spain), male"),
    ("Polly.Mia", "Mia: Spanish (Mexico), female"),
    ("Polly.Celine", "Céline: French (France), female"),
    ("Polly.Mathieu", "Mathieu: French (France), male"),
    ("Polly.Chantal", "Chantal: French (Canada), female"),
    ("Polly.Marlene", "Marlene: German, female"),
    ("Polly.Hans", "Hans: German, male"),
    ("Polly.Carla", "Carla: Italian, female"),
    ("Polly.Giorgio", "Giorgio: Italian, male"),
    ("Polly.Camila", "Camila: Portuguese (Brazil), female"),
    ("Polly.Ricardo", "Ricardo: Portuguese (Brazil), male"),
    ("Polly.Mizuki", "Mizuki: Japanese, female"),
)

GOOGLE_VOICES: tuple[tuple[str, str], ...] = (
    ("Google.en-US-Standard-C", "Google standard C: English (US), female"),
    ("Google.en-US-Standard-D", "Google standard D: English (US), male"),
    ("Google.en-US-Neural2-F", "Google Neural2 F: English (US), female"),
    ("Google.en-US-Neural2-J", "Google Neural2 J: English (US), male"),
    ("Google.en-GB-Standard-A", "Google standard A: English (UK), female"),
    ("Google.en-GB-Standard-B", "Google standard B: English (UK), male"),
    ("Google.es-ES-Standard-A", "Google standard A: Spanish (Spain), female"),
    ("Google.fr-FR-Standard-A", "Google standard A: French (France), female"),
    ("Google.de-DE-Standard-A", "Google standard A: German, female"),
)

VOICES = BASIC_VOICES + POLLY_VOICES + GOOGLE_VOICES

# Language and locale codes as <Say language> and <Gather language> take them.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en-US", "English (US)"),
    ("en-GB", "English (UK)"),
    ("en-AU", "English (Australia)"),
    ("en-CA", "English (Canada)"),
    ("en-IN", "English (India)"),
    ("es-ES", "Spanish (Spain)"),
    ("es-MX", "Spanish (Mexico)"),
    ("es-US", "Spanish (US)"),
    ("fr-FR", "French (France)"),
    ("fr-CA", "French (Canada)"),
    ("de-DE", "German"),
    ("it-IT", "Italian"),
    ("pt-BR", "Portuguese (Brazil)"),
    ("pt-PT", "Portuguese (Portugal)"),
    ("nl-NL", "Dutch"),
    ("da-DK", "Danish"),
    ("nb-NO", "Norwegian"),
    ("sv-SE", "Swedish"),
    ("fi-FI", "Finnish"),
    ("pl-PL", "Polish"),
    ("ru-RU", "Russian"),
    ("ja-JP", "Japanese"),
    ("ko-KR", "Korean"),
    ("zh-CN", "Chinese (Mandarin)"),
    ("zh-HK", "Chinese (Cantonese)"),
    ("zh-TW", "Chinese (Taiwanese Mandarin)"),
)

# <Pay language>: the languages Twilio's <Pay> speaks its prompts in (a shorter list than
# <Say>'s; the TwiML libraries Twilio generates list exactly these for Pay's `language`).
PAY_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("de-DE", "German"),
    ("en-AU", "English (Australia)"),
    ("en-CA", "English (Canada)"),
    ("en-GB", "English (UK)"),
    ("en-IN", "English (India)"),
    ("en-IE", "English (Ireland)"),
    ("en-NZ", "English (New Zealand)"),
    ("en-PH", "English (Philippines)"),
    ("en-ZA", "English (South Africa)"),
    ("en-US", "English (US)"),
    ("es-ES", "Spanish (Spain)"),
    ("es-US", "Spanish (US)"),
    ("fr-CA", "French (Canada)"),
    ("fr-FR", "French (France)"),
    ("it-IT", "Italian"),
)

# <ConversationRelay ttsProvider> and <ConversationRelay transcriptionProvider>: the
# providers Twilio's ConversationRelay pages name. Its `voice` takes the chosen provider's
# own voice IDs (not <Say>'s `Polly.*`/`Google.*` names), so no voice is suggested.
TTS_PROVIDERS: tuple[tuple[str, str], ...] = (
    ("Google", "Google"),
    ("Amazon", "Amazon Polly"),
    ("ElevenLabs", "ElevenLabs"),
)

TRANSCRIPTION_PROVIDERS: tuple[tuple[str, str], ...] = (
    ("Google", "Google"),
    ("Deepgram", "Deepgram"),
)
