/** engine/runtime/forms: the forms port the engine checks starts and completions through, and deployed forms. */
export { checkFormData, noForms, type FormsPort, type FormOwner, type FormCheck } from './forms-port.js';
export {
  FORM_KEY,
  isFormFile,
  storedForms,
  type DeployedForm,
} from './deployed-forms.js';
