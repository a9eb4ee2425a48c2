'use strict';
// The interview form's kit and the take-home form's template follow the chosen application:
// their search sends the application along and the admin offers only what fits its opening's
// role profile (InterviewKitAdmin / TakeHomeTemplateAdmin.get_search_results). Without it a
// recruiter picked from every role's and learned which fit only from the error on saving.
//
// Added to every autocomplete request for those fields as it is sent (a jQuery prefilter), not
// by setting select2 up again once the page has loaded: a recruiter (or a test) quick enough to
// open the search before the page's load event got every role's choices.
{
    const $ = django.jQuery;
    const following = /(^|&)field_name=(kit|template)(&|$)/;
    $.ajaxPrefilter(function(options) {
        const application = $('#id_application');
        if (!application.length || typeof options.data !== 'string' ||
            !options.url.endsWith('/autocomplete/') || !following.test(options.data)) {
            return;
        }
        options.data += '&application=' + encodeURIComponent(application.val() || '');
    });
    // A choice made for another application's role no longer fits: cleared, to choose again.
    $(document).on('change', '#id_application', function() {
        $('#id_kit, #id_template').val(null).trigger('change');
    });
}
