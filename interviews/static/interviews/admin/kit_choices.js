'use strict';
// The interview form's kit choices follow the chosen application: the kit search sends the
// application along and the admin offers only the kits of its opening's role profile
// (InterviewKitAdmin.get_search_results). Without it a recruiter picked from every role's kits
// and learned which fit only from the error on saving.
window.addEventListener('load', function() {
    const $ = django.jQuery;
    const kit = $('#id_kit');
    const application = $('#id_application');
    if (!kit.length || !application.length || !kit.data('select2')) {
        return;
    }
    const element = kit.get(0);
    kit.select2('destroy');
    // The settings autocomplete.js gives (read from the element's data attributes), with the
    // application added to each search.
    kit.select2({
        ajax: {
            data: function(params) {
                return {
                    term: params.term,
                    page: params.page,
                    app_label: element.dataset.appLabel,
                    model_name: element.dataset.modelName,
                    field_name: element.dataset.fieldName,
                    application: application.val() || ''
                };
            }
        }
    });
    // A kit chosen for another application's role no longer fits: cleared, to choose again.
    application.on('change', function() {
        kit.val(null).trigger('change');
    });
});
