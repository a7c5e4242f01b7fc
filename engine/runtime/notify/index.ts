/** engine/runtime/notify: templates, channels (e-mail, webhook), the delivery log with retries, survey links. */
export { DeliveryService, type DeliveryOptions } from './delivery-service.js';
export {
  emailChannel,
  webhookChannel,
  webhookSignature,
  channelsFromEnv,
  type Channel,
  type Outgoing,
} from './channels.js';
export { TEMPLATES, LOCALES, renderTemplate, localeOf, type Locale, type Template } from './templates.js';
export { signSurvey, verifySurvey, surveySecretOf, newSurveyId, type SurveyToken } from './survey-links.js';
