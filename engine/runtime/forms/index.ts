/** engine/runtime/forms: the forms port the engine checks starts and completions through. */
export { checkFormData, noForms, type FormsPort, type FormOwner, type FormCheck } from './forms-port.js';
export { directoryForms, formsDirOf } from './directory-forms.js';
