/** Replaces bpmn-js's default `translate` with the app's languages. */
import customTranslate from './customTranslate';

export default {
  translate: ['value', customTranslate],
};
